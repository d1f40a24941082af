/**
 * What an id (product, reservation) may look like: printable ASCII without slashes or spaces, so it
 * is safe in a URL path and in a log line, and sorts the same in JS and in SQLite. Order ids
 * (`ord_<region>_<uuid>`) fit.
 */
export const IDENTIFIER = /^[A-Za-z0-9][A-Za-z0-9._:~-]{0,127}$/;
export const IDENTIFIER_MESSAGE = '$property must be 1-128 characters of letters, digits and . _ : ~ -';
