"""backprop.data: the digits split and scaling, and the IDX reader on small files written here."""
import gzip
import os
import struct
import warnings

import numpy as np
import pytest

from backprop import data


# ------------------------------------------------------------------- digits
@pytest.fixture(scope="module")
def digits():
    return data.load_digits(seed=0)


def _rows(A):
    return {r.tobytes() for r in A}


def test_digits_shapes_and_sizes(digits):
    d = digits
    n = d.X_train.shape[0] + d.X_val.shape[0] + d.X_test.shape[0]
    assert n == 1797
    assert d.X_test.shape == (359, 64) and d.X_val.shape == (180, 64) and d.X_train.shape == (1258, 64)
    for X, y in ((d.X_train, d.y_train), (d.X_val, d.y_val), (d.X_test, d.y_test)):
        assert X.dtype == np.float64 and X.ndim == 2 and X.shape[1] == 64
        assert y.dtype == np.int64 and y.shape == (X.shape[0],)
        assert y.min() >= 0 and y.max() <= 9
        assert np.all(np.isfinite(X))
    assert d.n_classes == 10 and d.image_shape == (8, 8) and d.n_features == 64
    assert d.class_names == tuple("0123456789")


def test_digits_split_is_stratified(digits):
    for y in (digits.y_train, digits.y_val, digits.y_test):
        frac = np.bincount(y, minlength=10) / len(y)
        assert np.all(np.abs(frac - 0.1) < 0.02)


def test_digits_parts_do_not_overlap_and_cover_everything(digits):
    from sklearn.datasets import load_digits as sk
    raw = sk().data
    parts = [digits.images(X).reshape(len(X), 64) for X in (digits.X_train, digits.X_val, digits.X_test)]
    # Undoing the scaling gives back the original 0..16 pixels ...
    for P in parts:
        assert np.allclose(P, np.round(P), atol=1e-9)
    # ... and together the three parts are exactly the 1797 original images (as a multiset of rows).
    together = np.concatenate([np.round(P) for P in parts])
    assert np.array_equal(together[np.lexsort(together.T[::-1])], raw[np.lexsort(raw.T[::-1])])
    tr, va, te = (_rows(X) for X in (digits.X_train, digits.X_val, digits.X_test))
    assert not (tr & va) and not (tr & te) and not (va & te)


def test_digits_scaling_fitted_on_train_only(digits):
    d = digits
    # Standardised with the TRAIN statistics: train columns have mean 0 and std 1 (or 0 where constant).
    assert np.allclose(d.X_train.mean(axis=0), 0.0, atol=1e-12)
    std = d.X_train.std(axis=0)
    assert np.all(np.isclose(std, 1.0) | np.isclose(std, 0.0))
    # ... and the statistics are the train part's, not the whole set's.
    pixels_train = d.images(d.X_train).reshape(-1, 64)
    assert np.allclose(d.shift, pixels_train.mean(axis=0))
    from sklearn.datasets import load_digits as sk
    assert not np.allclose(d.shift, sk().data.mean(axis=0))
    # Validation and test are transformed with the same statistics, so they are not exactly centred.
    assert not np.allclose(d.X_test.mean(axis=0), 0.0, atol=1e-3)
    # A pixel constant in train is never divided by zero.
    assert np.all(d.scale > 0)


def test_digits_unit_scaling():
    d = data.load_digits(seed=0, scaling="unit")
    assert d.X_train.max() == 1.0 and d.X_train.min() == 0.0
    assert np.all(d.scale == 16.0)
    assert np.all(d.X_test <= 1.0)


def test_digits_seeded_determinism():
    a, b, c = data.load_digits(seed=3), data.load_digits(seed=3), data.load_digits(seed=4)
    assert np.array_equal(a.X_train, b.X_train) and np.array_equal(a.y_test, b.y_test)
    assert not np.array_equal(a.y_train, c.y_train)


def test_digits_fractions():
    d = data.load_digits(val_fraction=0.0, test_fraction=0.5)
    assert d.X_val.shape == (0, 64) and abs(d.X_test.shape[0] - 898) <= 1


@pytest.mark.parametrize("kwargs,exc,words", [
    ({"val_fraction": 0.6, "test_fraction": 0.5}, ValueError, "val_fraction + test_fraction"),
    ({"val_fraction": 1.0}, ValueError, "val_fraction"),
    ({"test_fraction": -0.1}, ValueError, "test_fraction"),
    ({"test_fraction": "0.2"}, TypeError, "test_fraction"),
    ({"seed": 1.5}, TypeError, "seed"),
    ({"seed": -1}, ValueError, "seed"),
    ({"scaling": "minmax"}, ValueError, "scaling"),
])
def test_digits_bad_arguments(kwargs, exc, words):
    with pytest.raises(exc, match=words.replace("+", r"\+")):
        data.load_digits(**kwargs)


# ---------------------------------------------------------------------- IDX
def _write_raw(path, raw: bytes):
    with (gzip.open(path, "wb") if str(path).endswith(".gz") else open(path, "wb")) as f:
        f.write(raw)


def _idx_bytes(arr, code=0x08):
    arr = np.asarray(arr)
    return bytes([0, 0, code, arr.ndim]) + struct.pack(">" + "I" * arr.ndim, *arr.shape) + arr.astype(">u1").tobytes()


def _make_folder(tmp_path, gz: bool, n_train=60, n_test=20, seed=0, dot=False):
    rng = np.random.default_rng(seed)
    ext = ".gz" if gz else ""
    sep = "." if dot else "-"
    files = {}
    for stem, n in (("train", n_train), ("t10k", n_test)):
        imgs = rng.integers(0, 256, size=(n, 28, 28)).astype(np.uint8)
        labs = (np.arange(n) % 10).astype(np.uint8)
        rng.shuffle(labs)
        data.write_idx(tmp_path / f"{stem}-images{sep}idx3-ubyte{ext}", imgs)
        data.write_idx(tmp_path / f"{stem}-labels{sep}idx1-ubyte{ext}", labs)
        files[stem] = (imgs, labs)
    return files


@pytest.mark.parametrize("gz", [False, True])
def test_read_idx_roundtrip(tmp_path, gz):
    rng = np.random.default_rng(1)
    for arr in (rng.integers(0, 256, size=(5, 4, 3)).astype(np.uint8),
                rng.integers(-100, 100, size=(7,)).astype(np.int16),
                rng.normal(size=(2, 3)).astype(np.float32),
                rng.normal(size=(4,))):
        p = tmp_path / (f"a-{arr.dtype}.idx" + (".gz" if gz else ""))
        data.write_idx(p, arr)
        back = data.read_idx(p)
        assert back.shape == arr.shape and back.dtype == arr.dtype.newbyteorder("=")
        assert np.array_equal(back, arr)


def test_read_idx_parses_the_header_by_hand(tmp_path):
    arr = np.arange(24, dtype=np.uint8).reshape(2, 3, 4)
    p = tmp_path / "x-idx3-ubyte"
    p.write_bytes(b"\x00\x00\x08\x03" + struct.pack(">III", 2, 3, 4) + arr.tobytes())
    assert np.array_equal(data.read_idx(p), arr)


@pytest.mark.parametrize("gz", [False, True])
@pytest.mark.parametrize("kind", ["mnist", "fashion-mnist"])
def test_load_idx_folder(tmp_path, gz, kind):
    files = _make_folder(tmp_path, gz)
    d = data.load_idx_folder(tmp_path, kind=kind, val_fraction=0.2, seed=0)
    assert d.X_train.shape == (48, 784) and d.X_val.shape == (12, 784) and d.X_test.shape == (20, 784)
    assert d.image_shape == (28, 28) and d.n_classes == 10
    assert d.X_train.dtype == np.float64 and d.y_train.dtype == np.int64
    # scaling 'unit' divides by the TRAIN part's max
    assert d.X_train.max() == 1.0
    assert np.array_equal(d.y_test, files["t10k"][1])
    assert np.array_equal(np.round(d.images(d.X_test)).astype(np.uint8), files["t10k"][0])
    tr, va = _rows(d.X_train), _rows(d.X_val)
    assert not (tr & va)
    if kind == "fashion-mnist":
        assert d.class_names[0] == "T-shirt/top" and d.class_names[9] == "Ankle boot"
    else:
        assert d.class_names == tuple("0123456789")
    again = data.load_idx_folder(tmp_path, kind=kind, val_fraction=0.2, seed=0)
    assert np.array_equal(again.X_train, d.X_train)


def test_load_idx_folder_dot_names_and_subsets(tmp_path):
    _make_folder(tmp_path, gz=False, dot=True)
    d = data.load_idx_folder(tmp_path, max_train=30, max_test=10, val_fraction=0.2, scaling="standardize")
    assert d.X_train.shape[0] + d.X_val.shape[0] == 30 and d.X_test.shape == (10, 784)
    assert np.allclose(d.X_train.mean(axis=0), 0.0, atol=1e-12)


def test_missing_files_name_what_was_looked_for(tmp_path):
    with pytest.raises(FileNotFoundError, match="does not exist"):
        data.load_idx_folder(tmp_path / "nowhere")
    _make_folder(tmp_path, gz=True)
    os.remove(tmp_path / "t10k-labels-idx1-ubyte.gz")
    with pytest.raises(FileNotFoundError) as e:
        data.load_idx_folder(tmp_path)
    msg = str(e.value)
    assert "t10k-labels" in msg and "t10k-labels-idx1-ubyte.gz" in msg and "t10k-labels-idx1-ubyte," in msg
    assert str(tmp_path) in msg
    with pytest.raises(FileNotFoundError, match="nope"):
        data.read_idx(tmp_path / "nope")


@pytest.mark.parametrize("gz", [False, True])
@pytest.mark.parametrize("case,words", [
    ("bad_magic", "bad magic number"),
    ("bad_type", "unknown type code"),
    ("too_short", "too short"),
    ("truncated", "wrong size"),
    ("too_long", "wrong size"),
])
def test_malformed_idx_files(tmp_path, gz, case, words):
    good = _idx_bytes(np.zeros((3, 2, 2), dtype=np.uint8))
    raw = {
        "bad_magic": b"\x12\x34" + good[2:],
        "bad_type": good[:2] + b"\x07" + good[3:],
        "too_short": b"\x00\x00",
        "truncated": good[:-1],
        "too_long": good + b"\x00",
    }[case]
    p = tmp_path / ("train-images-idx3-ubyte" + (".gz" if gz else ""))
    _write_raw(p, raw)
    with pytest.raises(data.IdxFormatError, match=words) as e:
        data.read_idx(p)
    assert str(p) in str(e.value)


def test_gz_name_that_is_not_gzip(tmp_path):
    p = tmp_path / "train-labels-idx1-ubyte.gz"
    p.write_bytes(_idx_bytes(np.zeros(3, dtype=np.uint8)))
    with pytest.raises(data.IdxFormatError, match="could not be read") as e:
        data.read_idx(p)
    assert str(p) in str(e.value)


def test_gzipped_file_without_gz_name(tmp_path):
    p = tmp_path / "train-labels-idx1-ubyte"
    p.write_bytes(gzip.compress(_idx_bytes(np.zeros(3, dtype=np.uint8))))
    with pytest.raises(data.IdxFormatError, match="still gzipped"):
        data.read_idx(p)


def test_count_mismatch_names_both_files(tmp_path):
    _make_folder(tmp_path, gz=False)
    data.write_idx(tmp_path / "train-labels-idx1-ubyte", np.zeros(59, dtype=np.uint8))
    with pytest.raises(data.IdxFormatError, match="60 images") as e:
        data.load_idx_folder(tmp_path)
    assert "train-labels-idx1-ubyte" in str(e.value) and "59 labels" in str(e.value)


def test_labels_out_of_range(tmp_path):
    _make_folder(tmp_path, gz=False)
    labs = np.zeros(20, dtype=np.uint8)
    labs[7] = 10
    data.write_idx(tmp_path / "t10k-labels-idx1-ubyte", labs)
    with pytest.raises(data.IdxFormatError, match="out of range") as e:
        data.load_idx_folder(tmp_path)
    assert "t10k-labels-idx1-ubyte" in str(e.value) and "got 10 at position 7" in str(e.value)


def test_wrong_number_of_dimensions(tmp_path):
    _make_folder(tmp_path, gz=False)
    data.write_idx(tmp_path / "train-images-idx3-ubyte", np.zeros((60, 784), dtype=np.uint8))
    with pytest.raises(data.IdxFormatError, match=r"\(N, rows, cols\)"):
        data.load_idx_folder(tmp_path)


def test_idx_bad_arguments(tmp_path):
    _make_folder(tmp_path, gz=False)
    with pytest.raises(ValueError, match="kind"):
        data.load_idx_folder(tmp_path, kind="cifar")
    with pytest.raises(ValueError, match="val_fraction"):
        data.load_idx_folder(tmp_path, val_fraction=1.5)
    with pytest.raises(TypeError, match="max_train"):
        data.load_idx_folder(tmp_path, max_train=10.0)


def test_dataset_images_checks_its_input(digits):
    assert digits.images(digits.X_test[0]).shape == (8, 8)
    assert digits.images(digits.X_test[:5]).shape == (5, 8, 8)
    with pytest.raises(ValueError, match="n_0 = 64"):
        digits.images(np.zeros((2, 63)))


# ---------------------------------------------------------------- found by the bad-input probe
@pytest.mark.parametrize("kwargs,exc,words", [
    ({"val_fraction": 0.7999, "test_fraction": 0.2}, ValueError, ["val_fraction = 0.7999", "1 training example", "every class"]),
    ({"val_fraction": 1.5}, ValueError, ["val_fraction", "[0, 1)", "1.5"]),
    ({"val_fraction": float("nan")}, ValueError, ["val_fraction", "nan"]),
    ({"val_fraction": True}, TypeError, ["val_fraction", "True"]),
    ({"seed": None}, TypeError, ["seed", "None"]),
    ({"seed": True}, TypeError, ["seed", "True"]),
    ({"scaling": np.array(["unit"])}, TypeError, ["scaling", "'standardize', 'unit'"]),
    ({"scaling": None}, TypeError, ["scaling", "None"]),
])
def test_digits_more_bad_arguments(kwargs, exc, words):
    with pytest.raises(exc) as info:
        data.load_digits(**kwargs)
    for w in words:
        assert w in str(info.value), (w, str(info.value))


def test_a_folder_where_a_file_is_expected_and_a_file_where_a_folder_is(tmp_path):
    with pytest.raises(ValueError, match="folder") as e:
        data.read_idx(tmp_path)
    assert "load_idx_folder" in str(e.value)
    with pytest.raises(ValueError, match="folder"):
        data.write_idx(tmp_path, np.zeros(3, dtype=np.uint8))
    (tmp_path / "f").write_bytes(b"")
    with pytest.raises(ValueError, match="got the file") as e:
        data.load_idx_folder(tmp_path / "f")
    assert "read_idx" in str(e.value)
    with pytest.raises(TypeError, match="str or a pathlib.Path"):
        data.read_idx(None)
    with pytest.raises(TypeError, match="str or a pathlib.Path"):
        data.load_idx_folder(3)
    with pytest.raises(TypeError, match="kind"):
        data.load_idx_folder(tmp_path, kind=["mnist"])
    with pytest.raises(ValueError, match="'emnist'"):
        data.load_idx_folder(tmp_path, kind="emnist")
    (tmp_path / "train-images-idx3-ubyte").mkdir()                 # an unpacked archive, say
    with pytest.raises(ValueError, match="must be an IDX file; got a folder"):
        data.load_idx_folder(tmp_path)


def test_truncated_gz_in_a_folder(tmp_path):
    _make_folder(tmp_path, gz=True)
    p = tmp_path / "train-images-idx3-ubyte.gz"
    p.write_bytes(p.read_bytes()[:-8])
    with pytest.raises(data.IdxFormatError, match="could not be read") as e:
        data.load_idx_folder(tmp_path)
    assert "train-images-idx3-ubyte.gz" in str(e.value)


@pytest.mark.parametrize("images,words", [
    (np.full((60, 4, 4), np.nan, dtype=np.float32), ["960 NaN or inf", "image 0", "finite"]),
    (np.full((60, 4, 4), np.inf), ["NaN or inf"]),
    (np.zeros((60, 0, 4), dtype=np.uint8), ["at least one pixel", "(60, 0, 4)"]),
])
def test_bad_pixels_in_the_images_file(tmp_path, images, words):
    _make_folder(tmp_path, gz=False)
    data.write_idx(tmp_path / "train-images-idx3-ubyte", images)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(data.IdxFormatError) as e:
            data.load_idx_folder(tmp_path)
    for w in words:
        assert w in str(e.value), (w, str(e.value))


def test_pixels_too_large_to_standardize(tmp_path):
    _make_folder(tmp_path, gz=False)
    data.write_idx(tmp_path / "train-images-idx3-ubyte", np.full((60, 2, 2), 1e300))
    data.write_idx(tmp_path / "t10k-images-idx3-ubyte", np.full((20, 2, 2), 1e300))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(ValueError, match="too large to scale.*1e\\+300"):
            data.load_idx_folder(tmp_path, scaling="standardize")
        d = data.load_idx_folder(tmp_path, scaling="unit")       # dividing by the maximum is fine
    assert np.all(d.X_train == 1.0)


def test_too_few_training_examples_left(tmp_path):
    _make_folder(tmp_path, gz=False)
    with pytest.raises(ValueError, match=r"every class") as e:
        data.load_idx_folder(tmp_path, max_train=2)
    assert "max_train = 2" in str(e.value)
    with pytest.raises(ValueError, match="every class"):
        data.load_idx_folder(tmp_path, val_fraction=0.95)
