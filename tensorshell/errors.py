"""`ts.errors`: tensorshell's exception classes, with TensorFlow's names and codes."""

from .engine.errors import (ABORTED, ALREADY_EXISTS, CANCELLED, DATA_LOSS,  # noqa: F401
                            DEADLINE_EXCEEDED, FAILED_PRECONDITION, INTERNAL, INVALID_ARGUMENT,
                            NOT_FOUND, OK, OUT_OF_RANGE, PERMISSION_DENIED, RESOURCE_EXHAUSTED,
                            UNAUTHENTICATED, UNAVAILABLE, UNIMPLEMENTED, UNKNOWN, AbortedError,
                            AlreadyExistsError, CancelledError, DataLossError,
                            DeadlineExceededError, FailedPreconditionError, InternalError,
                            InvalidArgumentError, NotFoundError, OpError, Operand,
                            OutOfRangeError, PermissionDeniedError, ResourceExhaustedError,
                            UnauthenticatedError, UnavailableError, UnimplementedError,
                            UnknownError)
