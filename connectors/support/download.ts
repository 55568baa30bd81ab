import type { ConnectorContext } from '../contract.js';

/** Downloads a provider file into the work folder, beating the heartbeat around it. */
export async function downloadToWorkDir(
  context: ConnectorContext,
  url: string,
  fileName: string,
): Promise<string> {
  context.heartbeat({ downloading: url });
  const { path, resource } = await context.http.download(url, context.workDir, fileName);
  context.heartbeat({ downloaded: url, bytes: resource.bytes });
  context.logger.info('downloaded provider file', {
    source: context.sourceId,
    url,
    bytes: resource.bytes,
    sha256: resource.sha256,
  });
  return path;
}
