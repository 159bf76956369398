/**
 * Object stores (S3 or anything that speaks its API: s3proxy, MinIO): configuration under {@code
 * pgrunbooks.stores.*}, one client per store, streaming multipart uploads that never leave a
 * partial object, small reads and writes, and the one classifier of storage errors.
 */
package io.pgrunbooks.activities.storage;
