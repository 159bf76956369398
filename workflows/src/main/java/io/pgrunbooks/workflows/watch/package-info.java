/**
 * Seed 000, "Monitoring and Validation / Ongoing Monitoring Setup": the post-incident alert rules,
 * installed for a while and removed by a durable timer, so that they go away even when every
 * worker was restarted in between (the seed's {@code kubectl apply} leaves them forever).
 */
package io.pgrunbooks.workflows.watch;
