/**
 * Web streams over the child's pipes. Backpressure is real: a full stdout queue pauses the
 * pipe reader, the pipe fills, and the child blocks in `write` until the reader catches up.
 * @module
 */
import { concatBytes } from "../os/bytes.ts";
import { invalidArgument } from "../os/errors.ts";
import { ALWAYS_REF, type RefScope, settled as pollerSettled } from "./fd_poller.ts";
import { PipeReader, type PipeWriter } from "./pipes.ts";

/** Bytes a stdout/stderr stream queues before it stops reading the pipe. */
export const STREAM_HIGH_WATER_MARK = 64 * 1024;

/** A `ReadableStream` of what the child writes to `fd`, and the reader that feeds it. */
export function pipeReadable(
  fd: number,
  op: string,
  scope: RefScope = ALWAYS_REF,
): { stream: ReadableStream<Uint8Array>; reader: PipeReader } {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let settled = false; // closed, errored or cancelled: the controller takes nothing more
  const stream = new ReadableStream<Uint8Array>({
    start: (c) => {
      controller = c;
    },
    pull: () => reader.resume(),
    cancel: () => {
      settled = true;
      reader.close();
    },
  }, new ByteLengthQueuingStrategy({ highWaterMark: STREAM_HIGH_WATER_MARK }));
  const reader: PipeReader = new PipeReader(
    fd,
    {
      data(chunk) {
        if (settled) return;
        controller.enqueue(chunk.slice()); // lent by the reader: the stream keeps its own
        if ((controller.desiredSize ?? 0) <= 0) reader.pause();
      },
      end(error) {
        if (settled) return;
        settled = true;
        // Close the stream only once the poller is idle, so a reader at EOF leaves no op behind.
        pollerSettled().then(() => error ? controller.error(error) : controller.close());
      },
    },
    op,
    scope,
  );
  return { stream, reader };
}

/** A `WritableStream` into the child's stdin; `close()` gives the child EOF. */
export function pipeWritable(writer: PipeWriter): WritableStream<Uint8Array> {
  return new WritableStream<Uint8Array>({
    write(chunk) {
      if (!(chunk instanceof Uint8Array)) {
        throw invalidArgument(
          "write child stdin",
          "stdin takes Uint8Array chunks",
          "encode text first, e.g. with TextEncoderStream",
        );
      }
      return writer.write(chunk);
    },
    close: () => writer.end().then(pollerSettled),
    abort: () => writer.close(),
  });
}

/** Reads `stream` to its end into one array. */
export async function collect(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return concatBytes(chunks);
}
