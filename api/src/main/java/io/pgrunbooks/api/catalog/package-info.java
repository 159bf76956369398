/** {@code GET /api/runbooks}: the runbooks on offer. */
package io.pgrunbooks.api.catalog;
