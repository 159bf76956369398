/** Small helpers over the Temporal client that several endpoints share. */
package io.pgrunbooks.api.temporal;
