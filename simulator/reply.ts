/** What a route answers; the server writes it, applying any armed fault on the way. */
export interface Reply {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/** A JSON reply, UTF-8, as the providers' APIs send it. */
export function jsonReply(status: number, value: unknown): Reply {
  return {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8' },
    body: Buffer.from(JSON.stringify(value), 'utf8'),
  };
}

/** A reply carrying bytes as they are (a provider's file served byte for byte). */
export function bytesReply(body: Buffer, contentType: string, fileName?: string): Reply {
  const headers: Record<string, string> = { 'content-type': contentType };
  if (fileName !== undefined) headers['content-disposition'] = `attachment; filename="${fileName}"`;
  return { status: 200, headers, body };
}

/** The answer for a path no provider serves. */
export function notFound(path: string, message = 'no such resource'): Reply {
  return jsonReply(404, { error: 'not_found', message, path });
}
