"""Reed–Solomon codes over GF(256), systematic, with errors-and-erasures decoding.

Field polynomial x^8 + x^4 + x^3 + x^2 + 1 (0x11D), generator element 2, first consecutive
root 2^0: the generator of a code with ``nsym`` parity bytes is (x - 2^0)...(x - 2^(nsym-1)).
Codewords may be shortened (any length up to 255). Polynomials are lists of coefficients,
highest degree first. A code with ``nsym`` parity bytes corrects ``e`` errors and ``f``
erasures whenever ``2e + f <= nsym``.
"""

from __future__ import annotations

from collections.abc import Sequence

from hardware.blinkup.errors import BlinkUpDecodeError, DecodeFailure

_EXP = [0] * 512
_LOG = [0] * 256


def _fill_tables() -> None:
    value = 1
    for power in range(255):
        _EXP[power] = value
        _LOG[value] = power
        value <<= 1
        if value & 0x100:
            value ^= 0x11D
    for power in range(255, 512):  # doubled so a sum of two logs needs no modulo
        _EXP[power] = _EXP[power - 255]


_fill_tables()


def _mul(a: int, b: int) -> int:
    return _EXP[_LOG[a] + _LOG[b]] if a and b else 0


def _inv(a: int) -> int:
    return _EXP[255 - _LOG[a]]


def _pow2(power: int) -> int:
    return _EXP[power % 255]


def _scale(poly: Sequence[int], factor: int) -> list[int]:
    return [_mul(c, factor) for c in poly]


def _add(p: Sequence[int], q: Sequence[int]) -> list[int]:
    size = max(len(p), len(q))
    out = [0] * size
    out[size - len(p) :] = p
    for i, c in enumerate(q):
        out[i + size - len(q)] ^= c
    return out


def _polymul(p: Sequence[int], q: Sequence[int]) -> list[int]:
    out = [0] * (len(p) + len(q) - 1)
    for j, b in enumerate(q):
        if b:
            for i, a in enumerate(p):
                out[i + j] ^= _mul(a, b)
    return out


def _eval(poly: Sequence[int], x: int) -> int:
    if x == 0:
        return poly[-1]
    log_x = _LOG[x]
    y = poly[0]
    for coef in poly[1:]:
        y = (_EXP[_LOG[y] + log_x] if y else 0) ^ coef
    return y


_GENERATORS: dict[int, list[int]] = {}


def _generator(nsym: int) -> list[int]:
    if nsym not in _GENERATORS:
        gen = [1]
        for i in range(nsym):
            gen = _polymul(gen, [1, _pow2(i)])
        _GENERATORS[nsym] = gen
    return _GENERATORS[nsym]


def encode(data: bytes, nsym: int) -> bytes:
    """Return the ``nsym`` parity bytes to append to ``data``.

    Raises:
        ValueError: If the codeword would be longer than 255 bytes.
    """
    if len(data) + nsym > 255 or nsym < 1:
        raise ValueError(f"RS codeword of {len(data)}+{nsym} bytes does not fit GF(256)")
    gen = _generator(nsym)
    work = list(data) + [0] * nsym
    for i in range(len(data)):
        coef = work[i]
        if coef:
            log_c = _LOG[coef]
            for j in range(1, len(gen)):
                work[i + j] ^= _EXP[_LOG[gen[j]] + log_c]
    return bytes(work[len(data) :])


def _syndromes(word: Sequence[int], nsym: int) -> list[int]:
    return [_eval(word, _pow2(i)) for i in range(nsym)]


def _fail(detail: str) -> BlinkUpDecodeError:
    return BlinkUpDecodeError(DecodeFailure.TOO_MANY_ERRORS, detail)


def _error_locator(fsynd: Sequence[int], nsym: int, erasures: int) -> list[int]:
    # Berlekamp–Massey over the Forney syndromes (the erasures already factored out).
    loc, old = [1], [1]
    for k in range(nsym - erasures):
        delta = fsynd[k]
        for j in range(1, len(loc)):
            delta ^= _mul(loc[-(j + 1)], fsynd[k - j])
        old = [*old, 0]
        if delta:
            if len(old) > len(loc):
                new = _scale(old, delta)
                old = _scale(loc, _inv(delta))
                loc = new
            loc = _add(loc, _scale(old, delta))
    while loc and loc[0] == 0:
        loc = loc[1:]
    if 2 * (len(loc) - 1) + erasures > nsym:
        raise _fail("more errors than the parity can correct")
    return loc


def _forney_syndromes(synd: Sequence[int], erasures: Sequence[int], n: int) -> list[int]:
    fsynd = list(synd)
    for pos in erasures:
        x = _pow2(n - 1 - pos)
        for j in range(len(fsynd) - 1):
            fsynd[j] = _mul(fsynd[j], x) ^ fsynd[j + 1]
    return fsynd


def _find_errors(loc: Sequence[int], n: int) -> list[int]:
    # Chien search: roots of the locator give the positions (from the end) of the errors.
    rev = list(reversed(loc))
    found = [n - 1 - i for i in range(n) if _eval(rev, _pow2(i)) == 0]
    if len(found) != len(loc) - 1:
        raise _fail("error locator has roots outside the codeword")
    return found


def _correct(word: list[int], synd: Sequence[int], positions: Sequence[int]) -> None:
    # Forney: error magnitudes from the errata locator and evaluator.
    n = len(word)
    coef_pos = [n - 1 - p for p in positions]
    loc = [1]
    for c in coef_pos:
        loc = _polymul(loc, [_pow2(c), 1])
    product = _polymul(list(reversed(synd)), loc)
    evaluator = product[-len(synd) :]  # S(x)·Λ(x) mod x^nsym
    xs = [_pow2(c) for c in coef_pos]
    for i, xi in enumerate(xs):
        xi_inv = _inv(xi)
        denom = 1
        for j, xj in enumerate(xs):
            if j != i:
                denom = _mul(denom, 1 ^ _mul(xi_inv, xj))
        if denom == 0:
            raise _fail("errata locator has a repeated root")
        word[positions[i]] ^= _mul(_eval(evaluator, xi_inv), _inv(denom))


def decode(codeword: bytes, nsym: int, erasures: Sequence[int] = ()) -> bytes:
    """Correct a codeword (data then ``nsym`` parity bytes); return the data part.

    Args:
        codeword: The received codeword, at most 255 bytes.
        nsym: The number of parity bytes at its end.
        erasures: Positions known to be wrong (their values are ignored).

    Returns:
        The corrected data bytes.

    Raises:
        BlinkUpDecodeError: ``TOO_MANY_ERRORS`` when the word cannot be corrected.
    """
    n = len(codeword)
    erased = sorted({p for p in erasures if 0 <= p < n})
    if n > 255 or n <= nsym:
        raise _fail(f"codeword of {n} bytes with {nsym} parity bytes")
    if len(erased) > nsym:
        raise _fail(f"{len(erased)} erasures, at most {nsym}")
    word = list(codeword)
    for p in erased:
        word[p] = 0
    synd = _syndromes(word, nsym)
    if any(synd):
        fsynd = _forney_syndromes(synd, erased, n)
        loc = _error_locator(fsynd, nsym, len(erased))
        errors = _find_errors(loc, n) if len(loc) > 1 else []
        _correct(word, synd, erased + errors)
        if any(_syndromes(word, nsym)):
            raise _fail("the corrected word is still not a codeword")
    return bytes(word[: n - nsym])
