/**
 * People's decisions at approval gates over REST: approve or reject with the caller's identity
 * (never the body's), the audit view of every gate, and how a waiting run tells what to call.
 */
package io.pgrunbooks.api.approvals;
