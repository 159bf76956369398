/** The {@code kubernetes} hosting, through fabric8: pods, volumes, logs, metrics, exec, secrets. */
package io.pgrunbooks.activities.kubernetes;
