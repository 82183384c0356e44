"""Shared test helpers."""
import warnings

import pytest


def assert_refused(call, exc, words):
    """``call()`` raises ``exc`` (with warnings turned into errors, so an overflow warning
    does not count as a clear error) and its message contains each of ``words``."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(exc) as info:
            call()
    for w in words:
        assert w in str(info.value), (w, str(info.value))
    return info.value
