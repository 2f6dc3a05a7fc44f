/** Wire types of the MDS admin API, shared by the services, the client library and the CLI. */
package io.camber.common.api;
