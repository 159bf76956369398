/** The API's OpenAPI document: springdoc's, with the bearer security scheme and documented bodies. */
package io.pgrunbooks.api.openapi;
