/**
 * The audit could not look (a service unreachable, a bad answer, no stack): not a verdict on the
 * invariants. The CLI prints the message, which names the service, and exits 2.
 */
export class AuditError extends Error {
  override readonly name = 'AuditError';

  constructor(
    message: string,
    /** The service that could not be read, e.g. `us-east/checkout` or `provider-a`. */
    readonly service?: string,
    /** One line per service that could not be read, when there were several. */
    readonly lines: string[] = [message],
  ) {
    super(message);
  }
}
