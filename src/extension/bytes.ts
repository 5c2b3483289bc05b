/** Byte helpers that exist in both extension hosts (Node and VS Code for the Web's worker): no `Buffer`. */

/** Base64 → bytes with `atob`. Throws (DOMException) on text that is not base64. */
export function base64Bytes(b64: string): Uint8Array {
  const bin = atob(b64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return bytes;
}
