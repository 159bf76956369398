/** What workflow history keeps of a big output: a reference into the artifact store and an excerpt. */
package io.pgrunbooks.workflows.artifacts;
