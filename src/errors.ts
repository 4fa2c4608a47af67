/**
 * Typed errors. Every error the library throws on bad input is a QuantkitError whose `code`
 * names the kind of problem and whose message names the offending value and where it was
 * found (file, node, tensor, argument). The CLI prints `code: message` on one line.
 *
 * This module sits below every layer: anything may import it.
 */
export class QuantkitError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

/** A value outside its domain: NaN scale, bits out of range, axis out of range, ... */
export class RangeArgumentError extends QuantkitError {
  constructor(message: string) {
    super('E_ARGUMENT', message);
  }
}

/** An integer or fixed-point result that does not fit its format (when overflow is an error). */
export class OverflowError extends QuantkitError {
  constructor(message: string) {
    super('E_OVERFLOW', message);
  }
}

/** A model file that cannot be decoded or violates the ONNX spec. */
export class ModelFormatError extends QuantkitError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('E_MODEL_FORMAT', message, options);
  }
}

/** An operator (or operator version / attribute form) the runtime does not implement. */
export class UnsupportedOpError extends QuantkitError {
  constructor(message: string) {
    super('E_UNSUPPORTED_OP', message);
  }
}

/** Tensor shapes or dtypes that do not fit together at run time or in shape inference. */
export class ShapeError extends QuantkitError {
  constructor(message: string) {
    super('E_SHAPE', message);
  }
}

/** A configured limit (elements per tensor, bytes, nodes, ...) would be exceeded. */
export class LimitError extends QuantkitError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('E_LIMIT', message, options);
  }
}

/** Input data (images, labels, calibration tensors) that is malformed or inconsistent. */
export class DataError extends QuantkitError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('E_DATA', message, options);
  }
}

/** Describes any thrown value in one line, for messages that wrap a cause. */
export function describeError(error: unknown): string {
  if (error instanceof QuantkitError) return `${error.code}: ${error.message}`;
  if (error instanceof Error) return error.message;
  return String(error);
}
