/** Every side effect of the runbooks: activity implementations and the integrations they use. */
package io.pgrunbooks.activities;
