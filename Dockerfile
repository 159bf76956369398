# One image for both apps: `java -jar /app/workers.jar` or `/app/api.jar`.
FROM eclipse-temurin:21-jdk AS build
WORKDIR /src
COPY . .
RUN ./mvnw -B -q -ntp -DskipTests package

FROM eclipse-temurin:21-jre
RUN apt-get update && apt-get install -y --no-install-recommends postgresql-client && rm -rf /var/lib/apt/lists/*
COPY --from=build /src/workers/target/workers-*-exec.jar /app/workers.jar
COPY --from=build /src/api/target/api-*-exec.jar /app/api.jar
