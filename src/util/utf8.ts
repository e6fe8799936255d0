/**
 * UTF-8 encoding of text that linea writes in bulk (spools, record logs, packed documents): several times
 * faster than `Buffer.from(text)`, which `appendFile` and `gzip` of a string use, on large texts.
 */
export const utf8 = new TextEncoder();
