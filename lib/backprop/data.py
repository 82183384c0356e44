"""Real data for lesson 09: handwritten digits, and MNIST / Fashion-MNIST from a local folder.

Everything here is offline: the digits ship inside scikit-learn, and MNIST or
Fashion-MNIST are read from IDX files that the learner already has on disk.
Nothing ever downloads.

Every loader returns a :class:`Dataset`, with examples as rows (COURSE.md):

    X_train (N_train, n_0) float64     y_train (N_train,) int64, class indices 0..n_classes-1
    X_val   (N_val,   n_0) float64     y_val   (N_val,)   int64
    X_test  (N_test,  n_0) float64     y_test  (N_test,)  int64

where n_0 = the number of pixels (64 for the 8x8 digits, 784 for 28x28 MNIST).
The features are scaled with statistics fitted on the TRAIN part only, so that
nothing about the validation or test examples leaks into training:

    scaling='standardize':  X = (pixels - mean_train) / std_train   per pixel
                            (a pixel that is constant in the training set,
                            std_train = 0, is only shifted: its std is taken as 1)
    scaling='unit':         X = pixels / max_train                   (one number)

``Dataset.shift`` and ``Dataset.scale`` hold the fitted statistics
(X = (pixels - shift) / scale), and ``Dataset.images(X)`` turns rows back into
pixel images of shape (N, *image_shape) for plotting.
"""
from __future__ import annotations

import gzip
import os
import struct
from dataclasses import dataclass, field

import numpy as np

from . import _validate

SCALINGS = ("standardize", "unit")
KINDS = ("mnist", "fashion-mnist")

FASHION_MNIST_CLASSES = (
    "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
    "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
)
"""Fashion-MNIST's class names, index = label (Zalando's published order)."""

DIGIT_CLASSES = tuple(str(d) for d in range(10))
"""Class names of the digits and of MNIST: '0' .. '9'."""

# IDX type codes (the third byte of the magic number) -> big-endian numpy dtype.
IDX_DTYPES = {
    0x08: np.dtype(">u1"),
    0x09: np.dtype(">i1"),
    0x0B: np.dtype(">i2"),
    0x0C: np.dtype(">i4"),
    0x0D: np.dtype(">f4"),
    0x0E: np.dtype(">f8"),
}


class IdxFormatError(ValueError):
    """An IDX file that is not what it should be; the message names the file and the problem."""


@dataclass
class Dataset:
    """A train / validation / test split of an image classification data set.

    ``X_train`` (N_train, n_0), ``X_val`` (N_val, n_0), ``X_test`` (N_test, n_0):
    float64 feature rows, one example per row, scaled with the training part's
    statistics (see the module docstring).  ``y_train`` (N_train,),
    ``y_val`` (N_val,), ``y_test`` (N_test,): int64 class indices (the
    lecture's l) in 0..n_classes-1.  ``image_shape``: the shape of one image,
    n_0 = prod(image_shape).  ``class_names``: n_classes strings, index = label.
    ``shift``, ``scale``: (n_0,) arrays with X = (pixels - shift) / scale.
    """
    X_train: np.ndarray
    y_train: np.ndarray
    X_val: np.ndarray
    y_val: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray
    n_classes: int
    image_shape: tuple
    class_names: tuple
    name: str = ""
    scaling: str = "standardize"
    shift: np.ndarray = field(default=None, repr=False)
    scale: np.ndarray = field(default=None, repr=False)

    @property
    def n_features(self) -> int:
        """n_0, the number of inputs of a network for this data (pixels per image)."""
        return int(self.X_train.shape[1])

    def images(self, X) -> np.ndarray:
        """Undo the scaling: rows ``X`` (N, n_0) or one row (n_0,) -> pixel images (N, *image_shape) or image_shape."""
        X = _validate.float_array(X, "X", ndim=(1, 2))
        if X.shape[-1] != self.n_features:
            raise ValueError(f"X must have rows of length n_0 = {self.n_features}; got shape {X.shape}")
        pixels = X * self.scale + self.shift
        return pixels.reshape(X.shape[:-1] + tuple(self.image_shape))

    def summary(self) -> str:
        """One line per split: how many examples, and the feature shape."""
        return (
            f"{self.name or 'dataset'}: {self.n_classes} classes, n_0 = {self.n_features} features "
            f"(images {self.image_shape[0]}x{self.image_shape[1]}), scaling={self.scaling!r}\n"
            f"  train {self.X_train.shape[0]:6d}   val {self.X_val.shape[0]:6d}   test {self.X_test.shape[0]:6d}"
        )

    def __repr__(self) -> str:
        return (
            f"Dataset({self.name!r}, train={self.X_train.shape}, val={self.X_val.shape}, "
            f"test={self.X_test.shape}, n_classes={self.n_classes}, scaling={self.scaling!r})"
        )


# --------------------------------------------------------------------- helpers
def _train_has_every_class(y_all: np.ndarray, y_train: np.ndarray, settings: str) -> None:
    """Raise ValueError if the training part lacks a class that the data has (the split left too few to train on)."""
    missing = np.setdiff1d(np.unique(y_all), np.unique(y_train))
    if missing.size:
        raise ValueError(
            f"{settings} leave {y_train.shape[0]} training example(s), with no example of class(es) "
            f"{missing.tolist()}: expected at least one training example of every class; "
            f"use a smaller fraction (or keep more examples)"
        )


def _split(y: np.ndarray, fraction: float, rng: np.random.Generator, what: str):
    """Seeded stratified split of the indices 0..len(y)-1: (rest, taken), taken ~ fraction of each class.

    Both index arrays are sorted, so the split is the same for the same seed
    whatever the order of the classes.
    """
    n = y.shape[0]
    n_take = int(round(fraction * n))
    if fraction > 0 and n_take == 0:
        n_take = 1
    if n_take >= n:
        raise ValueError(f"{what} would leave no examples to train on ({n_take} of {n}); use a smaller fraction")
    if n_take == 0:
        return np.arange(n), np.arange(0)
    classes, counts = np.unique(y, return_counts=True)
    # Largest-remainder allocation of n_take over the classes, proportional to their counts.
    exact = counts * (n_take / n)
    alloc = np.floor(exact).astype(int)
    rest = n_take - alloc.sum()
    if rest > 0:
        order = np.lexsort((classes, -(exact - alloc)))
        alloc[order[:rest]] += 1
    taken = []
    for c, m in zip(classes, alloc):
        idx = np.flatnonzero(y == c)
        taken.append(rng.permutation(idx)[:m])
    taken = np.sort(np.concatenate(taken))
    mask = np.ones(n, dtype=bool)
    mask[taken] = False
    return np.flatnonzero(mask), taken


def _fit_scaling(X_train: np.ndarray, scaling: str):
    """Statistics from the TRAIN rows only: (shift, scale), each (n_0,), with X = (pixels - shift) / scale."""
    n0 = X_train.shape[1]
    with np.errstate(over="ignore", invalid="ignore"):
        if scaling == "standardize":
            shift = X_train.mean(axis=0)
            scale = X_train.std(axis=0)
            scale[scale == 0] = 1.0          # a pixel constant in training: only shift it, never divide by 0
        else:
            top = float(np.abs(X_train).max()) if X_train.size else 0.0
            shift = np.zeros(n0)
            scale = np.full(n0, top if top > 0 else 1.0)
    if not (np.all(np.isfinite(shift)) and np.all(np.isfinite(scale))):
        raise ValueError(
            f"the pixel values are too large to scale with scaling={scaling!r} (the statistics overflowed; "
            f"largest |pixel| = {float(np.abs(X_train).max()):.3g}): expected pixel values below about 1e150"
        )
    return shift, scale


def _make(X, y, idx_train, idx_val, X_test, y_test, *, scaling, n_classes, image_shape, class_names, name, settings):
    _train_has_every_class(y, y[idx_train], settings)
    X_train = X[idx_train].astype(np.float64)
    shift, scale = _fit_scaling(X_train, scaling)

    def sc(A):
        A = np.asarray(A, dtype=np.float64)
        return (A - shift) / scale

    return Dataset(
        X_train=sc(X_train), y_train=y[idx_train].astype(np.int64),
        X_val=sc(X[idx_val]), y_val=y[idx_val].astype(np.int64),
        X_test=sc(X_test), y_test=np.asarray(y_test).astype(np.int64),
        n_classes=int(n_classes), image_shape=tuple(image_shape), class_names=tuple(class_names),
        name=name, scaling=scaling, shift=shift, scale=scale,
    )


# ----------------------------------------------------------------------- digits
def load_digits(seed: int = 0, val_fraction: float = 0.1, test_fraction: float = 0.2,
                scaling: str = "standardize") -> Dataset:
    """scikit-learn's handwritten digits (1797 images of 8x8 pixels, 0..16), split and scaled.

    Offline: the data ships inside scikit-learn.  The split is stratified (each
    class in the same proportion in every part) and seeded: the same ``seed``
    always gives the same split.  ``test_fraction`` and ``val_fraction`` are
    fractions of all 1797 examples (defaults: 359 test, 180 validation,
    1258 train).  ``scaling``: 'standardize' (per pixel, train mean and std) or
    'unit' (divide by the train maximum, 16); fitted on the train part only.

    Returns a :class:`Dataset`: X_* (N, 64) float64, y_* (N,) int64 in 0..9,
    image_shape (8, 8), class_names '0'..'9'.  Lesson 09 trains on it.
    Raises ValueError if the fractions leave some class without a training example.
    """
    seed = _validate.seed(seed)
    val_fraction = _validate.fraction(val_fraction, "val_fraction")
    test_fraction = _validate.fraction(test_fraction, "test_fraction")
    if val_fraction + test_fraction >= 1:
        raise ValueError(
            f"val_fraction + test_fraction must be < 1 to leave examples to train on; "
            f"got {val_fraction} + {test_fraction} = {val_fraction + test_fraction}"
        )
    scaling = _validate.choice(scaling, "scaling", SCALINGS)
    from sklearn.datasets import load_digits as _sk_load_digits  # imported here: scikit-learn is slow to import

    raw = _sk_load_digits()
    X = np.asarray(raw.data, dtype=np.float64)
    y = np.asarray(raw.target, dtype=np.int64)
    rng = np.random.default_rng(seed)
    rest, test = _split(y, test_fraction, rng, "test_fraction")
    # val_fraction is a fraction of all examples; carve it out of what is left.
    rest_train, rest_val = _split(y[rest], val_fraction * len(y) / len(rest), rng, "val_fraction")
    train, val = rest[rest_train], rest[rest_val]
    return _make(X, y, train, val, X[test], y[test], scaling=scaling, n_classes=10,
                 image_shape=(8, 8), class_names=DIGIT_CLASSES, name="digits",
                 settings=f"val_fraction = {val_fraction:g} and test_fraction = {test_fraction:g}")


# -------------------------------------------------------------------------- IDX
def _open(path: str):
    if path.endswith(".gz"):
        return gzip.open(path, "rb")
    return open(path, "rb")


def _path(path, name: str) -> str:
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"{name} must be a file or folder name (a str or a pathlib.Path); got {_validate.describe(path)}")
    return os.fspath(path)


def read_idx(path) -> np.ndarray:
    """Read one IDX file (the format of MNIST and Fashion-MNIST), gzipped (``.gz``) or not.

    The header is: two zero bytes, a type code (0x08 unsigned byte, 0x09 signed
    byte, 0x0B int16, 0x0C int32, 0x0D float32, 0x0E float64), the number of
    dimensions d, then d big-endian uint32 sizes; then the data, big-endian,
    row-major.  Returns an array of that shape in the native byte order
    (uint8 for MNIST: images (N, 28, 28), labels (N,)).

    Raises FileNotFoundError if ``path`` does not exist, ValueError if it is a folder, and
    :class:`IdxFormatError` (a ValueError) naming the file and the problem if
    the magic number, the type code or the size is wrong.
    """
    path = _path(path, "path")
    if os.path.isdir(path):
        raise ValueError(f"path must be an IDX file; got the folder {path!r} (for a folder of MNIST files use load_idx_folder)")
    if not os.path.isfile(path):
        raise FileNotFoundError(f"IDX file {path!r} does not exist")
    try:
        with _open(path) as f:
            raw = f.read()
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        raise IdxFormatError(f"IDX file {path!r} could not be read ({'gzip: ' if path.endswith('.gz') else ''}{exc})") from None
    if len(raw) < 4:
        raise IdxFormatError(f"IDX file {path!r} is too short to hold the 4-byte magic number: {len(raw)} bytes")
    zero0, zero1, code, ndim = raw[0], raw[1], raw[2], raw[3]
    if zero0 != 0 or zero1 != 0:
        raise IdxFormatError(
            f"IDX file {path!r} has a bad magic number 0x{raw[:4].hex()}: an IDX file starts with two zero "
            f"bytes, a type code and the number of dimensions (MNIST images: 0x00000803, labels: 0x00000801)"
            + (" -- is it still gzipped? name it with a .gz ending" if raw[:2] == b"\x1f\x8b" else "")
        )
    if code not in IDX_DTYPES:
        raise IdxFormatError(
            f"IDX file {path!r} has an unknown type code 0x{code:02x} in its magic number; expected one of "
            + ", ".join(f"0x{c:02x}" for c in IDX_DTYPES)
        )
    if ndim == 0:
        raise IdxFormatError(f"IDX file {path!r} says it has 0 dimensions (magic number 0x{raw[:4].hex()})")
    header = 4 + 4 * ndim
    if len(raw) < header:
        raise IdxFormatError(
            f"IDX file {path!r} is too short for its header: {ndim} dimension sizes need {header} bytes, the file has {len(raw)}"
        )
    dims = struct.unpack(">" + "I" * ndim, raw[4:header])
    dtype = IDX_DTYPES[code]
    expected = int(np.prod(dims, dtype=np.int64)) * dtype.itemsize
    got = len(raw) - header
    if got != expected:
        raise IdxFormatError(
            f"IDX file {path!r} has the wrong size: its header says shape {tuple(dims)} of {dtype.name} "
            f"({expected} bytes of data), but the file holds {got} bytes of data"
            + (" (truncated download?)" if got < expected else "")
        )
    arr = np.frombuffer(raw, dtype=dtype, offset=header).reshape(dims)
    return arr.astype(dtype.newbyteorder("="))


def _idx_candidates(stem: str, kind_dims: str):
    # train-images-idx3-ubyte is the official name; some copies use a dot before idx.
    names = [f"{stem}-{kind_dims}-ubyte", f"{stem}.{kind_dims}-ubyte"]
    return [n + ext for n in names for ext in ("", ".gz")]


def _find(folder: str, stem: str, kind_dims: str) -> str:
    names = _idx_candidates(stem, kind_dims)
    for n in names:
        p = os.path.join(folder, n)
        if os.path.isfile(p):
            return p
    for n in names:
        p = os.path.join(folder, n)
        if os.path.isdir(p):
            raise ValueError(f"{p!r} must be an IDX file; got a folder (an unpacked archive? the IDX file may be inside it)")
    raise FileNotFoundError(
        f"no {stem} file in {folder!r}: looked for {', '.join(names)}. "
        f"Put the four MNIST / Fashion-MNIST IDX files (gzipped or not) in that folder; "
        f"nothing is downloaded."
    )


def _read_pair(folder: str, stem: str, n_classes: int):
    img_path = _find(folder, f"{stem}-images", "idx3")
    lab_path = _find(folder, f"{stem}-labels", "idx1")
    images = read_idx(img_path)
    labels = read_idx(lab_path)
    if images.ndim != 3:
        raise IdxFormatError(f"IDX file {img_path!r} must hold images of shape (N, rows, cols); got shape {images.shape}")
    if images.shape[1] * images.shape[2] == 0:
        raise IdxFormatError(f"IDX file {img_path!r} must hold images with at least one pixel; got shape {images.shape}")
    if np.issubdtype(images.dtype, np.floating) and not np.all(np.isfinite(images)):
        n_bad = int((~np.isfinite(images)).sum())
        first = int(np.argwhere(~np.isfinite(images))[0][0])
        raise IdxFormatError(f"IDX file {img_path!r} holds {n_bad} NaN or inf pixel value(s), the first in image {first}; "
                             f"expected finite pixel values")
    if labels.ndim != 1:
        raise IdxFormatError(f"IDX file {lab_path!r} must hold labels of shape (N,); got shape {labels.shape}")
    if not np.issubdtype(labels.dtype, np.integer):
        raise IdxFormatError(f"IDX file {lab_path!r} must hold integer labels; got {labels.dtype}")
    if images.shape[0] != labels.shape[0]:
        raise IdxFormatError(
            f"{stem} images and labels disagree: {img_path!r} holds {images.shape[0]} images but "
            f"{lab_path!r} holds {labels.shape[0]} labels"
        )
    if labels.size and (labels.min() < 0 or labels.max() >= n_classes):
        bad = labels[(labels < 0) | (labels >= n_classes)]
        first = int(np.flatnonzero((labels < 0) | (labels >= n_classes))[0])
        raise IdxFormatError(
            f"IDX file {lab_path!r} holds labels out of range: expected class indices 0..{n_classes - 1}, "
            f"got {int(bad[0])} at position {first} ({bad.size} bad label(s))"
        )
    return images, labels.astype(np.int64)


def load_idx_folder(folder, kind: str = "mnist", seed: int = 0, val_fraction: float = 1 / 6,
                    scaling: str = "unit", max_train: int | None = None, max_test: int | None = None) -> Dataset:
    """MNIST or Fashion-MNIST from the IDX files in a local ``folder``. Nothing is downloaded.

    The folder must hold train-images-idx3-ubyte, train-labels-idx1-ubyte,
    t10k-images-idx3-ubyte and t10k-labels-idx1-ubyte, each possibly gzipped
    (``.gz``); ``train-images.idx3-ubyte`` (dot instead of dash) is accepted too.
    ``kind``: 'mnist' (class names '0'..'9') or 'fashion-mnist' (T-shirt/top,
    Trouser, ...; :data:`FASHION_MNIST_CLASSES`); both have the same file format.

    The validation part (``val_fraction`` of the training file, stratified,
    seeded by ``seed``) is carved out of the training file; the test part is the
    t10k files.  ``max_train`` / ``max_test`` keep only a seeded random subset
    of that many training (before the validation split) / test examples, for
    quick experiments.  ``scaling``: 'unit' (pixels / 255, the train maximum)
    or 'standardize'; fitted on the train part only.

    Returns a :class:`Dataset`: X_* (N, 784) float64, y_* (N,) int64,
    image_shape (28, 28).  Raises FileNotFoundError naming the names looked for,
    :class:`IdxFormatError` naming the file and what is wrong with it (also
    NaN or inf pixels), or ValueError if ``folder`` is a file, or if the
    split leaves some class without a training example.
    """
    folder = _path(folder, "folder")
    kind = _validate.choice(kind, "kind", KINDS)
    seed = _validate.seed(seed)
    val_fraction = _validate.fraction(val_fraction, "val_fraction")
    scaling = _validate.choice(scaling, "scaling", SCALINGS)
    for name, m in (("max_train", max_train), ("max_test", max_test)):
        if m is not None:
            _validate.positive_int(m, name, minimum=2)
    if os.path.isfile(folder):
        raise ValueError(f"folder must be the folder that holds the four {kind} IDX files; got the file {folder!r} "
                         f"(to read one IDX file use read_idx)")
    if not os.path.isdir(folder):
        raise FileNotFoundError(f"folder {folder!r} does not exist (it should hold the {kind} IDX files)")
    n_classes = 10
    X, y = _read_pair(folder, "train", n_classes)
    X_test, y_test = _read_pair(folder, "t10k", n_classes)
    if X.shape[1:] != X_test.shape[1:]:
        raise IdxFormatError(f"train images are {X.shape[1:]} but t10k images are {X_test.shape[1:]} in {folder!r}")
    image_shape = X.shape[1:]
    rng = np.random.default_rng(seed)
    if max_train is not None and max_train < X.shape[0]:
        keep = np.sort(rng.permutation(X.shape[0])[:max_train])
        X, y = X[keep], y[keep]
    if max_test is not None and max_test < X_test.shape[0]:
        keep = np.sort(rng.permutation(X_test.shape[0])[:max_test])
        X_test, y_test = X_test[keep], y_test[keep]
    X = X.reshape(X.shape[0], -1)
    X_test = X_test.reshape(X_test.shape[0], -1)
    train, val = _split(y, val_fraction, rng, "val_fraction")
    names = FASHION_MNIST_CLASSES if kind == "fashion-mnist" else DIGIT_CLASSES
    return _make(X, y, train, val, X_test, y_test, scaling=scaling, n_classes=n_classes,
                 image_shape=image_shape, class_names=names, name=kind,
                 settings=f"val_fraction = {val_fraction:g} of {X.shape[0]} training-file examples"
                          + (f" (max_train = {max_train})" if max_train is not None else ""))


def write_idx(path, array) -> None:
    """Write ``array`` as an IDX file (gzipped if ``path`` ends in .gz); the inverse of :func:`read_idx`.

    ``array``: any shape, dtype uint8, int8, int16, int32, float32 or float64.
    Used by the tests to make small IDX files; handy to save a subset.
    """
    path = _path(path, "path")
    if os.path.isdir(path):
        raise ValueError(f"path must be a file name to write to; got the folder {path!r}")
    arr = np.asarray(array)
    codes = {np.dtype(v).newbyteorder("="): k for k, v in IDX_DTYPES.items()}
    code = codes.get(arr.dtype.newbyteorder("="))
    if code is None:
        raise TypeError(f"array must have an IDX dtype (uint8, int8, int16, int32, float32, float64); got {arr.dtype}")
    if arr.ndim == 0 or arr.ndim > 255:
        raise ValueError(f"array must have 1..255 dimensions; got {arr.ndim}")
    header = bytes([0, 0, code, arr.ndim]) + struct.pack(">" + "I" * arr.ndim, *arr.shape)
    body = arr.astype(IDX_DTYPES[code]).tobytes()
    with (gzip.open(path, "wb") if path.endswith(".gz") else open(path, "wb")) as f:
        f.write(header + body)
