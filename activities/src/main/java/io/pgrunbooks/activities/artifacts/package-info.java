/** Big outputs (full logs, statement lists, incident reports) in the object store, out of workflow history. */
package io.pgrunbooks.activities.artifacts;
