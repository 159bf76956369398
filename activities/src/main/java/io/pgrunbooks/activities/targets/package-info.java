/** Target configuration ({@code pgrunbooks.targets.*}) and its lookup. */
package io.pgrunbooks.activities.targets;
