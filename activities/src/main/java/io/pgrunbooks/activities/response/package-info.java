/** Side effects of the failure response itself: keeping its incident report. */
package io.pgrunbooks.activities.response;
