/**
 * The steps that depend on how a cluster is hosted, as one interface with one implementation per
 * hosting ({@code kubernetes}, {@code host}), chosen by the target's configuration.
 */
package io.pgrunbooks.activities.hosting;
