/** The runbooks on offer: names a DBA would say, their workflow types and seed sections. */
package io.pgrunbooks.workflows.catalog;
