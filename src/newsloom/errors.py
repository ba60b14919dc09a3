"""Named exceptions. Each message says what happened, to which input, and what to do."""


class NewsloomError(Exception):
    """Base class of every error newsloom raises on purpose."""


class IngestError(NewsloomError):
    """An input could not be read or recognised."""


class InputTooLargeError(IngestError):
    """An input is larger than the configured size cap."""


class BinaryInputError(IngestError):
    """An input is binary (an image, an archive...), not text or HTML."""


class EmptyInputError(IngestError):
    """An input has no content."""


class FetchError(IngestError):
    """A URL could not be fetched (HTTP error, timeout, refused address)."""


class UnsafeURLError(FetchError):
    """A URL points at a private, loopback or link-local address."""


class FeedError(IngestError):
    """A feed could not be parsed."""


class ExtractionError(NewsloomError):
    """No article text or title could be extracted."""


class StoreError(NewsloomError):
    """The database could not be opened or written."""


class NotFoundError(NewsloomError):
    """No article or story with that id."""
