# The worker's and the API's images, from one multi-stage file with a target each:
#   docker build --target worker -t pg-runbooks-worker .
#   docker build --target api    -t pg-runbooks-api .
# One file rather than workers/Dockerfile + api/Dockerfile: both jars come out of the same Maven
# reactor build (api and workers share the workflows module), which the `build` stage runs once
# for both images (docker compose builds it once and reuses the cached stage); the targets differ
# in what they add: the worker needs the PostgreSQL client tools (pg_dump, pg_restore, psql,
# pg_isready), the API nothing but a JRE.
FROM eclipse-temurin:21-jdk AS build
WORKDIR /src
COPY . .
RUN ./mvnw -B -q -ntp -DskipTests package \
 && cp workers/target/workers-*-exec.jar /workers.jar \
 && cp api/target/api-*-exec.jar /api.jar

FROM eclipse-temurin:21-jre AS runtime
RUN useradd --uid 10001 --user-group --no-create-home --home-dir /app pgrunbooks
WORKDIR /app

FROM runtime AS worker
RUN apt-get update \
 && apt-get install -y --no-install-recommends postgresql-client \
 && rm -rf /var/lib/apt/lists/* \
 && install -d -o 10001 -g 10001 /var/lib/pg-runbooks/rules /var/tmp/pg-runbooks
COPY --from=build /workers.jar /app/workers.jar
USER 10001
EXPOSE 8081
CMD ["java", "-jar", "/app/workers.jar"]

FROM runtime AS api
COPY --from=build /api.jar /app/api.jar
USER 10001
EXPOSE 8080
CMD ["java", "-jar", "/app/api.jar"]
