// What progress observers (the terminal, --verbose) are told of each request:
// plain data, redacted, no headers, no body.

/** One request on the wire, as observers see it: redacted, no headers, no body. */
export interface HopEvent {
  phase: 'start' | 'end';
  probe: string;
  method: string;
  /** redacted */
  url: string;
  /** requests sent so far, this one included, and the most the engine may send */
  sent: number;
  max: number;
  /** on end: the status (0 = no answer) and the hop's time */
  status?: number;
  ms?: number;
}
