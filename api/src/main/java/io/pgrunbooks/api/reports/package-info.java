/** Incident reports of finished failure responses, as Markdown. */
package io.pgrunbooks.api.reports;
