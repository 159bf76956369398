/** The target names the API accepts: the same {@code pgrunbooks.targets} the workers read. */
package io.pgrunbooks.api.targets;
