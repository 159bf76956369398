/** The post-incident alert rules: a PrometheusRule on kubernetes, a Prometheus rules file on host. */
package io.pgrunbooks.activities.watch;
