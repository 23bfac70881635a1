// Connections to one origin, bound to requests late: a request that finds no
// free open connection waits for the first one that becomes free, whether it
// is an open connection finishing its request or a new one finishing its
// handshake — the way a browser's socket pool works.
//
// Why not undici's Pool. A Pool binds a request to a connection when the
// request is dispatched: with every open connection busy, it makes a new
// connection and queues the request on it, and the request waits for that
// handshake even if an open connection is free a moment later. On a server
// with one worker per connection (Apache prefork), a new connection is
// accepted by the kernel, but its TLS handshake waits until a worker is free;
// when the workers are held by open connections — the browser's six idle
// keep-alive connections during a login, say — that is until the server
// spawns more (once a second) or a keep-alive ends (seconds). Measured on the
// test bed's ModSecurity site: a connection Apache dropped after a 400 was
// replaced by one whose handshake took 1.8 s, and the request bound to it took
// 1.8 s while the two other connections answered eleven requests.
//
// Here a new connection is opened for each request that waits, as before,
// but it joins the pool when its handshake is done and then takes whichever
// request waits first; requests go to any open free connection meanwhile. A
// request is never held for a connection that is still opening when another
// is free. If opening fails while no other connection can serve, the first
// waiting request gets that error, as it would from undici.

import type { Socket } from 'node:net';
import { buildConnector, Client, Dispatcher, errors } from 'undici';

export interface LatePoolOptions {
  /** TLS and socket options for every connection, as undici's `connect` */
  connect: buildConnector.BuildOptions;
  headersTimeout: number;
  bodyTimeout: number;
  /** the most connections to the origin, open or opening */
  maxConnections: number;
  /** a connection opened for a request that another connection served waits this long for one */
  idleMs?: number;
}

/** undici's keep-alive for an idle connection when the server gives no hint */
const IDLE_MS = 4000;

interface Slot {
  client: Client;
  /** the client has an open socket */
  connected: boolean;
  /** a request was given to the client and it has not drained yet */
  busy: boolean;
  /** an opened socket the client's next connect takes */
  handoff?: Socket;
}

interface Waiting {
  opts: Dispatcher.DispatchOptions;
  handler: Dispatcher.DispatchHandler;
  /** stop listening to the request's abort signal */
  detach: () => void;
}

/** An abort signal as undici takes it: a DOM AbortSignal or an EventEmitter. */
interface AbortSource {
  aborted?: boolean;
  addEventListener?: (type: 'abort', fn: () => void, opts?: { once: boolean }) => void;
  removeEventListener?: (type: 'abort', fn: () => void) => void;
  once?: (type: 'abort', fn: () => void) => void;
  off?: (type: 'abort', fn: () => void) => void;
}

interface Kept {
  socket: Socket;
  timer: NodeJS.Timeout;
  onClose: () => void;
}

type Legacy = { onError?: (err: Error) => void };

const noop = (): void => {};

export class LatePool extends Dispatcher {
  readonly #origin: URL;
  readonly #opts: LatePoolOptions;
  readonly #connector: buildConnector.connector;
  readonly #slots: Slot[] = [];
  readonly #queue: Waiting[] = [];
  readonly #kept: Kept[] = [];
  #opening = 0;
  #closed = false;
  /** a new connection failed while others were open: try again once one of them has answered */
  #retryAfterAnswer = false;
  #idleWaiters: (() => void)[] = [];

  constructor(origin: string | URL, opts: LatePoolOptions) {
    super();
    this.#origin = new URL(String(origin));
    this.#opts = opts;
    this.#connector = buildConnector(opts.connect);
  }

  /** connections open, being opened, or kept for the next request */
  get connections(): number {
    return this.#established() + this.#opening;
  }

  /** connections open, or kept or being handed to a client */
  #established(): number {
    return this.#slots.filter((s) => s.connected || s.busy).length + this.#kept.length;
  }

  override dispatch(opts: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
    if (this.#closed) {
      (handler as Legacy).onError?.(new errors.ClientDestroyedError());
      return false;
    }
    const w: Waiting = { opts, handler, detach: noop };
    // Aborted while it waits for a connection: it fails now, not when a
    // connection takes it (undici's handler acts on an abort only once a
    // client has it).
    const signal = (opts as { signal?: AbortSource | null }).signal;
    if (signal && typeof signal === 'object') {
      const onAbort = (): void => {
        const i = this.#queue.indexOf(w);
        if (i < 0) return;
        this.#queue.splice(i, 1);
        w.detach();
        (handler as Legacy).onError?.(new errors.RequestAbortedError());
        this.#pump();
      };
      if (typeof signal.addEventListener === 'function') {
        signal.addEventListener('abort', onAbort, { once: true });
        w.detach = () => signal.removeEventListener?.('abort', onAbort);
      } else if (typeof signal.once === 'function') {
        signal.once('abort', onAbort);
        w.detach = () => signal.off?.('abort', onAbort);
      }
    }
    if (signal?.aborted === true) {
      w.detach();
      (handler as Legacy).onError?.(new errors.RequestAbortedError());
      return true;
    }
    this.#queue.push(w);
    this.#pump();
    return true;
  }

  /** The first waiting request, no longer listening to its abort signal. */
  #next(): Waiting | undefined {
    const w = this.#queue.shift();
    w?.detach();
    return w;
  }

  #pump(): void {
    while (this.#queue.length > 0) {
      const slot = this.#slots.find((s) => s.connected && !s.busy) ?? (this.#kept.length > 0 ? this.#handOff() : undefined);
      if (!slot) break;
      this.#send(slot, this.#next() as Waiting);
    }
    // One new connection per waiting request, within the cap.
    const open = this.#retryAfterAnswer ? 0 : Math.min(this.#queue.length - this.#opening, this.#opts.maxConnections - this.connections);
    for (let i = 0; i < open; i++) this.#open();
    if (this.#queue.length === 0 && !this.#slots.some((s) => s.busy)) for (const w of this.#idleWaiters.splice(0)) w();
  }

  #send(slot: Slot, w: Waiting): void {
    slot.busy = true;
    // With one request per connection, dispatch says "busy" and the client drains when it is done.
    if (slot.client.dispatch(w.opts, w.handler)) slot.busy = false;
  }

  /** A client without a socket, given a kept socket for its next connect. */
  #handOff(): Slot {
    const kept = this.#kept.pop() as Kept;
    clearTimeout(kept.timer);
    kept.socket.off('close', kept.onClose);
    kept.socket.off('error', noop);
    const slot = this.#slots.find((s) => !s.connected && !s.busy && s.handoff === undefined) ?? this.#newSlot();
    slot.handoff = kept.socket;
    return slot;
  }

  #newSlot(): Slot {
    const slot: Slot = { connected: false, busy: false } as Slot;
    const connect: buildConnector.connector = (o, cb) => {
      const s = slot.handoff;
      slot.handoff = undefined;
      // Never synchronously: undici's client expects its connector to answer later.
      if (s && !s.destroyed) process.nextTick(cb, null, s);
      else this.#connector(o, cb);
    };
    slot.client = new Client(this.#origin, {
      connect,
      headersTimeout: this.#opts.headersTimeout,
      bodyTimeout: this.#opts.bodyTimeout,
    });
    slot.client.on('connect', () => {
      slot.connected = true;
    });
    slot.client.on('disconnect', () => {
      slot.connected = false;
      this.#pump();
    });
    slot.client.on('drain', () => {
      slot.busy = false;
      this.#retryAfterAnswer = false;
      this.#pump();
    });
    this.#slots.push(slot);
    return slot;
  }

  #open(): void {
    this.#opening++;
    const { host, protocol, port } = this.#origin;
    // As undici's client: an IPv6 literal without its brackets.
    const hostname = this.#origin.hostname.replace(/^\[(.*)\]$/, '$1');
    this.#connector({ host, hostname, protocol, port }, (err, socket) => {
      this.#opening--;
      if (err || !socket) {
        // With an open connection, the waiting requests are served by it, and no
        // new one is tried until it has answered one (no storm of refused
        // connections); with none, the first waiting request fails as it would
        // have on its own connection, and the next one gets its own attempt.
        if (this.#established() > 0) this.#retryAfterAnswer = true;
        else {
          const w = this.#next();
          if (w) (w.handler as Legacy).onError?.(err ?? new errors.SocketError('connect failed'));
        }
        this.#pump();
        return;
      }
      this.#retryAfterAnswer = false;
      if (this.#closed) {
        socket.destroy();
        return;
      }
      this.#keep(socket);
      this.#pump();
    });
  }

  /** An opened socket waits for a request, for as long as an idle keep-alive connection would. */
  #keep(socket: Socket): void {
    const kept: Kept = {
      socket,
      onClose: () => {
        const i = this.#kept.indexOf(kept);
        if (i >= 0) {
          this.#kept.splice(i, 1);
          clearTimeout(kept.timer);
        }
      },
      timer: setTimeout(() => socket.destroy(), this.#opts.idleMs ?? IDLE_MS),
    };
    kept.timer.unref();
    socket.on('error', noop);
    socket.once('close', kept.onClose);
    this.#kept.push(kept);
  }

  #dropKept(): void {
    for (const k of this.#kept.splice(0)) {
      clearTimeout(k.timer);
      k.socket.destroy();
    }
  }

  override close(): Promise<void>;
  override close(callback: () => void): void;
  override close(callback?: () => void): Promise<void> | void {
    const done = (async () => {
      if (this.#queue.length > 0 || this.#slots.some((s) => s.busy)) await new Promise<void>((r) => this.#idleWaiters.push(r));
      this.#closed = true;
      this.#dropKept();
      await Promise.all(this.#slots.map((s) => s.client.close()));
    })();
    if (callback) {
      done.then(callback, callback);
      return;
    }
    return done;
  }

  override destroy(): Promise<void>;
  override destroy(err: Error | null): Promise<void>;
  override destroy(callback: () => void): void;
  override destroy(err: Error | null, callback: () => void): void;
  override destroy(a?: Error | null | (() => void), b?: () => void): Promise<void> | void {
    const err = typeof a === 'function' ? null : (a ?? null);
    const callback = typeof a === 'function' ? a : b;
    this.#closed = true;
    const reason = err ?? new errors.ClientDestroyedError();
    for (const w of this.#queue.splice(0)) {
      w.detach();
      (w.handler as Legacy).onError?.(reason);
    }
    this.#dropKept();
    for (const w of this.#idleWaiters.splice(0)) w();
    const done = Promise.all(this.#slots.map((s) => s.client.destroy(err))).then(() => undefined);
    if (callback) {
      done.then(callback, callback);
      return;
    }
    return done;
  }
}
