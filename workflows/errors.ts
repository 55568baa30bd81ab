/** Failures that a retry cannot mend: bad configuration, provider content that breaks the
 * connector's contract, a failing model or report. Activities raise them as these types. */
export const nonRetryableErrorTypes = [
  'ConfigError',
  'ParseError',
  'SchemaError',
  'EmptyCollectionError',
  'ModelError',
  'ReportError',
  'NonRetryableConnectorError',
];
