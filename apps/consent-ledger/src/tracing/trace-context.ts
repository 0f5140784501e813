import { Link, ROOT_CONTEXT, SpanKind, SpanStatusCode, context, propagation, trace } from '@opentelemetry/api';

/**
 * The W3C traceparent of the active span, stored with the events a request appends so that their
 * publish can be linked to the request. Undefined when tracing is off (the API is then a no-op).
 */
export function activeTraceParent(): string | undefined {
  const carrier: { traceparent?: string } = {};
  propagation.inject(context.active(), carrier);
  return carrier.traceparent;
}

/** A link to the span a stored traceparent names, or nothing for an absent or malformed one. */
function linkTo(traceParent: unknown): Link[] {
  const text = Buffer.isBuffer(traceParent) ? traceParent.toString() : traceParent;
  if (typeof text !== 'string') return [];
  const spanContext = trace.getSpanContext(propagation.extract(ROOT_CONTEXT, { traceparent: text }));
  return spanContext && trace.isSpanContextValid(spanContext) ? [{ context: spanContext }] : [];
}

const tracer = trace.getTracer('consent-ledger.relay');

/**
 * Runs one Kafka send inside a `publish` span of its own (the relay works outside any request),
 * linked to the request of each event it carries (their `traceparent` headers, from the outbox). The
 * kafkajs instrumentation then gives each message a send span under it and puts that span's
 * traceparent in the message's headers, so a subscriber's span joins this trace and, through the
 * links, the write. With tracing off the stored traceparent stays in the headers as it was.
 */
export function inPublishSpan<T>(topic: string, messages: readonly { headers?: Record<string, unknown> }[], send: () => Promise<T>): Promise<T> {
  const links = messages.flatMap((message) => linkTo(message.headers?.traceparent));
  return tracer.startActiveSpan(`publish ${topic}`, {
    kind: SpanKind.PRODUCER,
    root: true,
    links,
    attributes: { 'messaging.system': 'kafka', 'messaging.operation.type': 'publish', 'messaging.destination.name': topic, 'messaging.batch.message_count': messages.length },
  }, async (span) => {
    try {
      return await send();
    } catch (error) {
      span.recordException(error as Error);
      span.setStatus({ code: SpanStatusCode.ERROR });
      throw error;
    } finally {
      span.end();
    }
  });
}
