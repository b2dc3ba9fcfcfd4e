#!/usr/bin/env python3
"""Independent checker for the SafeMentor protocol v1 known-answer vectors.

A second implementation of the protocol, in Python, written from the protocol definition
(docs/protocol.md) without looking at the C# code: it rebuilds every identity, signature,
X3DH secret and wire message of tests/vectors/*.json and decrypts every delivery with its own
receive side. It also serves as a readable reference for implementers in other languages.

Needs Python 3.11 and the `cryptography` package (XChaCha20's HChaCha20 step is implemented here).

Usage: python3 tests/interop/check_vectors.py [sessions.json] [statements.json] [ground-rules.json] [export-records.json]
Exit status 0 iff every check passes.
"""
import base64
import copy
import hashlib
import hmac
import json
import os
import re
import struct
import sys

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey, Ed25519PublicKey)
from cryptography.hazmat.primitives.asymmetric.x25519 import (
    X25519PrivateKey, X25519PublicKey)
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

# --------------------------------------------------------------------------
# reporting
# --------------------------------------------------------------------------
RESULTS = {"ok": 0, "fail": 0}


def check(label, cond, detail=""):
    if cond:
        RESULTS["ok"] += 1
        print(f"OK    {label}")
    else:
        RESULTS["fail"] += 1
        print(f"FAIL  {label}" + (f"\n        {detail}" if detail else ""))
    return bool(cond)


def check_eq(label, got, exp):
    if isinstance(got, bytes):
        got_s = got.hex()
    else:
        got_s = got
    if isinstance(exp, bytes):
        exp_s = exp.hex()
    else:
        exp_s = exp
    detail = ""
    if got_s != exp_s:
        detail = f"computed: {got_s}\n        expected: {exp_s}"
        if isinstance(got_s, str) and isinstance(exp_s, str):
            for i, (a, b) in enumerate(zip(got_s, exp_s)):
                if a != b:
                    detail += f"\n        first difference at hex/char offset {i}"
                    break
            else:
                detail += f"\n        lengths differ: {len(got_s)} vs {len(exp_s)}"
    return check(label, got_s == exp_s, detail)


class ProtocolError(Exception):
    pass


# --------------------------------------------------------------------------
# encoding helpers (spec "Notation")
# --------------------------------------------------------------------------
def u8(x): return struct.pack(">B", x)
def u16(x): return struct.pack(">H", x)
def u32(x): return struct.pack(">I", x)
def u64(x): return struct.pack(">Q", x)


def lbl(x: str) -> bytes:
    b = x.encode("ascii")
    assert len(b) < 256
    return u8(len(b)) + b


def sstr(x: str) -> bytes:
    b = x.encode("utf-8")  # exactly as given, no normalisation
    if len(b) > 65535:
        raise ProtocolError("string longer than 65535 bytes")
    return u16(len(b)) + b


ZERO32 = b"\x00" * 32
FF32 = b"\xff" * 32

# --------------------------------------------------------------------------
# primitives
# --------------------------------------------------------------------------
def H(data): return hashlib.sha256(data).digest()


def HMAC(key, data): return hmac.new(key, data, hashlib.sha256).digest()


def HKDF_(ikm, salt, info: str, L):
    return HKDF(algorithm=hashes.SHA256(), length=L, salt=salt,
                info=info.encode("ascii")).derive(ikm)


def x_pub(priv: bytes) -> bytes:
    return X25519PrivateKey.from_private_bytes(priv).public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def DH(priv: bytes, pub: bytes) -> bytes:
    try:
        out = X25519PrivateKey.from_private_bytes(priv).exchange(
            X25519PublicKey.from_public_bytes(pub))
    except ValueError as e:  # OpenSSL refuses all-zero output
        raise ProtocolError(f"X25519 error: {e}")
    if out == ZERO32:
        raise ProtocolError("all-zero DH output")
    return out


def ed_pub(seed: bytes) -> bytes:
    return Ed25519PrivateKey.from_private_bytes(seed).public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def Sign(seed: bytes, msg: bytes) -> bytes:
    return Ed25519PrivateKey.from_private_bytes(seed).sign(msg)


# ---- minimal edwards25519 arithmetic for the strictness checks ------------
P = 2**255 - 19
L_ORDER = 2**252 + 27742317777372353535851937790883648493
D = (-121665 * pow(121666, P - 2, P)) % P
SQRT_M1 = pow(2, (P - 1) // 4, P)


def _decode_point(b: bytes):
    y = int.from_bytes(b, "little")
    sign = y >> 255
    y &= (1 << 255) - 1
    if y >= P:
        return None  # non-canonical
    x2 = (y * y - 1) * pow(D * y * y + 1, P - 2, P) % P
    x = pow(x2, (P + 3) // 8, P)
    if (x * x - x2) % P != 0:
        x = x * SQRT_M1 % P
    if (x * x - x2) % P != 0:
        return None
    if x == 0 and sign:
        return None  # non-canonical encoding of x = 0
    if (x & 1) != sign:
        x = P - x
    return (x, y, 1, x * y % P)


def _add(p1, p2):
    X1, Y1, Z1, T1 = p1
    X2, Y2, Z2, T2 = p2
    A = (Y1 - X1) * (Y2 - X2) % P
    B = (Y1 + X1) * (Y2 + X2) % P
    C = 2 * T1 * T2 * D % P
    Dd = 2 * Z1 * Z2 % P
    E, F, G, Hh = B - A, Dd - C, Dd + C, B + A
    return (E * F % P, G * Hh % P, F * G % P, E * Hh % P)


def _is_small_order(pt):
    q = pt
    for _ in range(3):
        q = _add(q, q)
    X, Y, Z, _T = q
    return X % P == 0 and (Y - Z) % P == 0


def Verify(pub: bytes, msg: bytes, sig: bytes) -> bool:
    """Strict verification in the spirit of crypto_sign_verify_detached."""
    if len(pub) != 32 or len(sig) != 64:
        return False
    if int.from_bytes(sig[32:], "little") >= L_ORDER:
        return False  # non-canonical S
    A = _decode_point(pub)
    R = _decode_point(sig[:32])
    if A is None or R is None or _is_small_order(A) or _is_small_order(R):
        return False
    try:
        Ed25519PublicKey.from_public_bytes(pub).verify(sig, msg)
        return True
    except InvalidSignature:
        return False


# ---- HChaCha20 / XChaCha20-Poly1305-IETF -----------------------------------
def _rotl(v, c): return ((v << c) & 0xFFFFFFFF) | (v >> (32 - c))


def _qr(s, a, b, c, d):
    s[a] = (s[a] + s[b]) & 0xFFFFFFFF; s[d] = _rotl(s[d] ^ s[a], 16)
    s[c] = (s[c] + s[d]) & 0xFFFFFFFF; s[b] = _rotl(s[b] ^ s[c], 12)
    s[a] = (s[a] + s[b]) & 0xFFFFFFFF; s[d] = _rotl(s[d] ^ s[a], 8)
    s[c] = (s[c] + s[d]) & 0xFFFFFFFF; s[b] = _rotl(s[b] ^ s[c], 7)


SIGMA = [0x61707865, 0x3320646E, 0x79622D32, 0x6B206574]


def hchacha20(key: bytes, nonce16: bytes) -> bytes:
    assert len(key) == 32 and len(nonce16) == 16
    s = SIGMA + list(struct.unpack("<8I", key)) + list(struct.unpack("<4I", nonce16))
    for _ in range(10):
        _qr(s, 0, 4, 8, 12); _qr(s, 1, 5, 9, 13); _qr(s, 2, 6, 10, 14); _qr(s, 3, 7, 11, 15)
        _qr(s, 0, 5, 10, 15); _qr(s, 1, 6, 11, 12); _qr(s, 2, 7, 8, 13); _qr(s, 3, 4, 9, 14)
    return struct.pack("<8I", *(s[0:4] + s[12:16]))


def hchacha20_via_openssl(key: bytes, nonce16: bytes) -> bytes:
    """Cross-check: ChaCha20 block = rounds(state) + state, with the full
    16-byte 'nonce' of cryptography's ChaCha20 being words 12..15."""
    ks = Cipher(algorithms.ChaCha20(key, nonce16), mode=None).encryptor().update(b"\x00" * 64)
    out = struct.unpack("<16I", ks)
    init = SIGMA + list(struct.unpack("<8I", key)) + list(struct.unpack("<4I", nonce16))
    words = [(out[i] - init[i]) & 0xFFFFFFFF for i in (0, 1, 2, 3, 12, 13, 14, 15)]
    return struct.pack("<8I", *words)


def xchacha_encrypt(key, nonce24, pt, ad):
    sub = hchacha20(key, nonce24[:16])
    return ChaCha20Poly1305(sub).encrypt(b"\x00" * 4 + nonce24[16:24], pt, ad)


def xchacha_decrypt(key, nonce24, ct, ad):
    sub = hchacha20(key, nonce24[:16])
    try:
        return ChaCha20Poly1305(sub).decrypt(b"\x00" * 4 + nonce24[16:24], ct, ad)
    except InvalidTag:
        raise ProtocolError("AEAD authentication failed")


# --------------------------------------------------------------------------
# protocol functions
# --------------------------------------------------------------------------
B32 = "abcdefghijklmnopqrstuvwxyz234567"


def account_id(iks_pub: bytes) -> str:
    return "sm_" + base64.b32encode(H(iks_pub)[:20]).decode("ascii").lower().rstrip("=")


def identity_sig(iks_seed, ikd_pub):
    return Sign(iks_seed, lbl("SafeMentor/v1/identity") + ikd_pub)


def spk_signed_bytes(spk_id, spk_pub):
    return lbl("SafeMentor/v1/signed-prekey") + u32(spk_id) + spk_pub


def safety_number(iks_a, ikd_a, iks_b, ikd_b) -> str:
    fa, fb = iks_a + ikd_a, iks_b + ikd_b
    lo, hi = sorted([fa, fb])
    b = HKDF_(lo + hi, ZERO32, "SafeMentor/v1/safety-number", 60)
    groups = []
    for i in range(12):
        v = int.from_bytes(b[5 * i:5 * i + 5], "big") % 100000
        groups.append(f"{v:05d}")
    return " ".join(groups)


def KDF_RK(rk, dh):
    out = HKDF_(dh, rk, "SafeMentor/v1/root", 64)
    return out[:32], out[32:]


def KDF_CK(ck):
    return HMAC(ck, b"\x02"), HMAC(ck, b"\x01")  # (ck', mk)


def message_keys(mk):
    out = HKDF_(mk, ZERO32, "SafeMentor/v1/message", 56)
    return out[:32], out[32:56]


def pad(payload: bytes) -> bytes:
    k = (-(len(payload) + 1)) % 256
    return payload + b"\x80" + b"\x00" * k


def unpad(data: bytes) -> bytes:
    if len(data) == 0 or len(data) % 256 != 0:
        raise ProtocolError("padded length not a positive multiple of 256")
    i = data.rfind(b"\x80")
    if i < 0:
        raise ProtocolError("no 0x80 padding marker")
    tail = data[i + 1:]
    if any(tail) or len(tail) >= 256:
        raise ProtocolError("bad padding")
    return data[:i]


def header_bytes(dh_pub, pn, n):
    return dh_pub + u32(pn) + u32(n)


MAX_SKIP = 1000
MAX_STORED = 2000
NO_OPK = 0xFFFFFFFF


class KeySource:
    """GENERATE_DH: next key from the vector's list, in order. Lives outside
    the session state (a key drawn during a failed attempt stays used up)."""

    def __init__(self, privs):
        self.privs = list(privs)
        self.i = 0

    def generate(self):
        if self.i >= len(self.privs):
            raise ProtocolError("ratchetPrivates exhausted")
        priv = self.privs[self.i]
        self.i += 1
        return (priv, x_pub(priv))


class Session:
    def __init__(self):
        self.RK = None
        self.DHs = None       # (priv, pub)
        self.DHr = None
        self.CKs = None
        self.CKr = None
        self.Ns = 0
        self.Nr = 0
        self.PN = 0
        self.skipped = {}     # (dh, n) -> mk, insertion-ordered (FIFO eviction)
        self.AD = None
        self.x3dh = None      # for initiator: prekey fields to send; for responder: fields seen
        self.initiator = False
        self.received_any = False
        self.dh_steps = 0
        self.used_skipped_after_newer_chain = False

    # ---- sending ----
    def encrypt(self, payload: bytes):
        if self.CKs is None:
            raise ProtocolError("no sending chain yet")
        self.CKs, mk = KDF_CK(self.CKs)
        hdr = header_bytes(self.DHs[1], self.PN, self.Ns)
        self.Ns += 1
        key, nonce = message_keys(mk)
        ct = xchacha_encrypt(key, nonce, pad(payload), self.AD + hdr)
        return hdr, ct

    # ---- receiving (operates in place; caller works on a copy) ----
    def _store(self, dh, n, mk):
        self.skipped[(dh, n)] = mk
        while len(self.skipped) > MAX_STORED:
            del self.skipped[next(iter(self.skipped))]

    def _skip(self, until):
        if until > self.Nr + MAX_SKIP:
            raise ProtocolError("MAX_SKIP exceeded")
        if self.CKr is not None:
            while self.Nr < until:
                self.CKr, mk = KDF_CK(self.CKr)
                self._store(self.DHr, self.Nr, mk)
                self.Nr += 1

    def _dh_ratchet(self, dh, keysrc):
        self.PN = self.Ns
        self.Ns = 0
        self.Nr = 0
        self.DHr = dh
        self.RK, self.CKr = KDF_RK(self.RK, DH(self.DHs[0], self.DHr))
        self.DHs = keysrc.generate()
        self.RK, self.CKs = KDF_RK(self.RK, DH(self.DHs[0], self.DHr))
        self.dh_steps += 1

    def decrypt(self, hdr: bytes, ct: bytes, keysrc):
        dh = hdr[:32]
        pn = struct.unpack(">I", hdr[32:36])[0]
        n = struct.unpack(">I", hdr[36:40])[0]
        if (dh, n) in self.skipped:
            mk = self.skipped.pop((dh, n))
            if dh != self.DHr:
                self.used_skipped_after_newer_chain = True
            key, nonce = message_keys(mk)
            return unpad(xchacha_decrypt(key, nonce, ct, self.AD + hdr))
        if dh != self.DHr:
            self._skip(pn)
            self._dh_ratchet(dh, keysrc)
        elif self.CKr is None:
            raise ProtocolError("header.dh == DHr with no receiving chain")
        self._skip(n)
        if n < self.Nr:
            raise ProtocolError("message key already used (replay/duplicate)")
        self.CKr, mk = KDF_CK(self.CKr)
        self.Nr += 1
        key, nonce = message_keys(mk)
        return unpad(xchacha_decrypt(key, nonce, ct, self.AD + hdr))


# ---- wire parsing ----
PREKEY_FIXED = 2 + 32 + 32 + 64 + 32 + 4 + 4 + 40
NORMAL_FIXED = 2 + 40


def check_ct_len(ct):
    if len(ct) < 272 or (len(ct) - 16) % 256 != 0:
        raise ProtocolError("bad ciphertext length")


def parse_wire(w: bytes):
    if len(w) < 2:
        raise ProtocolError("short input")
    if w[0] != 0x01:
        raise ProtocolError("unknown version")
    if w[1] == 0x02:
        if len(w) < NORMAL_FIXED:
            raise ProtocolError("short input")
        hdr, ct = w[2:42], w[42:]
        check_ct_len(ct)
        return {"type": "normal", "header": hdr, "ct": ct}
    if w[1] == 0x01:
        if len(w) < PREKEY_FIXED:
            raise ProtocolError("short input")
        o = 2
        f = {"type": "prekey"}
        f["iks"] = w[o:o + 32]; o += 32
        f["ikd"] = w[o:o + 32]; o += 32
        f["sigId"] = w[o:o + 64]; o += 64
        f["ek"] = w[o:o + 32]; o += 32
        f["spkId"] = struct.unpack(">I", w[o:o + 4])[0]; o += 4
        f["opkId"] = struct.unpack(">I", w[o:o + 4])[0]; o += 4
        f["header"] = w[o:o + 40]; o += 40
        f["ct"] = w[o:]
        check_ct_len(f["ct"])
        return f
    raise ProtocolError("unknown type")


# --------------------------------------------------------------------------
# parties
# --------------------------------------------------------------------------
class Party:
    def __init__(self, name, iks_seed, ikd_priv, ratchet_privs):
        self.name = name
        self.iks_seed = iks_seed
        self.iks_pub = ed_pub(iks_seed)
        self.ikd_priv = ikd_priv
        self.ikd_pub = x_pub(ikd_priv)
        self.sigId = identity_sig(iks_seed, self.ikd_pub)
        self.keysrc = KeySource(ratchet_privs)
        self.sessions = []         # per peer (only one peer here): [current, previous...]
        self.seen_ek = set()       # (IKs_A_pub, EK_A_pub) that ran X3DH
        # responder material
        self.spks = {}             # spkId -> priv
        self.opks = {}             # opkId -> priv

    # initiator
    def initiate(self, bundle, ek_priv):
        if bundle["accountId"] != account_id(bundle["iks"]):
            raise ProtocolError("bundle account id mismatch")
        if not Verify(bundle["iks"], lbl("SafeMentor/v1/identity") + bundle["ikd"], bundle["sigId"]):
            raise ProtocolError("bad bundle sigId")
        if not Verify(bundle["iks"], spk_signed_bytes(bundle["spkId"], bundle["spk"]), bundle["sigSpk"]):
            raise ProtocolError("bad bundle sigSpk")
        ek_pub = x_pub(ek_priv)
        ikm = FF32 + DH(self.ikd_priv, bundle["spk"]) + DH(ek_priv, bundle["ikd"]) + DH(ek_priv, bundle["spk"])
        if bundle.get("opk") is not None:
            ikm += DH(ek_priv, bundle["opk"])
        SK = HKDF_(ikm, ZERO32, "SafeMentor/v1/x3dh", 32)
        AD = self.iks_pub + self.ikd_pub + bundle["iks"] + bundle["ikd"]
        s = Session()
        s.initiator = True
        s.AD = AD
        s.DHs = self.keysrc.generate()
        s.DHr = bundle["spk"]
        s.RK, s.CKs = KDF_RK(SK, DH(s.DHs[0], s.DHr))
        s.x3dh = {"ek": ek_pub, "spkId": bundle["spkId"],
                  "opkId": bundle["opkId"] if bundle.get("opk") is not None else NO_OPK}
        self.sessions.insert(0, s)
        del self.sessions[6:]
        return s, SK, AD

    def send(self, payload):
        s = self.sessions[0]
        hdr, ct = s.encrypt(payload)
        if s.initiator and not s.received_any:
            x = s.x3dh
            return (b"\x01\x01" + self.iks_pub + self.ikd_pub + self.sigId + x["ek"]
                    + u32(x["spkId"]) + u32(x["opkId"]) + hdr + ct)
        return b"\x01\x02" + hdr + ct

    def _promote(self, idx, new_state):
        del self.sessions[idx]
        self.sessions.insert(0, new_state)
        del self.sessions[6:]

    def receive(self, wire):
        m = parse_wire(wire)
        if m["type"] == "prekey":
            return self._receive_prekey(m)
        last = None
        for idx, s in enumerate(self.sessions):
            trial = copy.deepcopy(s)
            try:
                pt = trial.decrypt(m["header"], m["ct"], self.keysrc)
            except ProtocolError as e:
                last = e
                continue
            trial.received_any = True
            self._promote(idx, trial)
            return pt
        raise ProtocolError(f"no session decrypts: {last}")

    def _receive_prekey(self, m):
        # existing session with the same (IKs_A_pub, EK_A_pub)?
        for idx, s in enumerate(self.sessions):
            if s.x3dh is not None and not s.initiator and s.x3dh["iks"] == m["iks"] and s.x3dh["ek"] == m["ek"]:
                for k in ("ikd", "sigId", "spkId", "opkId"):
                    if s.x3dh[k] != m[k]:
                        raise ProtocolError(f"prekey field {k} differs from session's")
                trial = copy.deepcopy(s)
                pt = trial.decrypt(m["header"], m["ct"], self.keysrc)
                trial.received_any = True
                self._promote(idx, trial)
                return pt
        if (m["iks"], m["ek"]) in self.seen_ek:
            raise ProtocolError("EK_A seen before; X3DH not run again")
        if not Verify(m["iks"], lbl("SafeMentor/v1/identity") + m["ikd"], m["sigId"]):
            raise ProtocolError("bad sigId in prekey message")
        if m["spkId"] not in self.spks:
            raise ProtocolError("unknown spkId")
        if m["opkId"] != NO_OPK and m["opkId"] not in self.opks:
            raise ProtocolError("unknown opkId")
        spk_priv = self.spks[m["spkId"]]
        ikm = FF32 + DH(spk_priv, m["ikd"]) + DH(self.ikd_priv, m["ek"]) + DH(spk_priv, m["ek"])
        if m["opkId"] != NO_OPK:
            ikm += DH(self.opks[m["opkId"]], m["ek"])
        SK = HKDF_(ikm, ZERO32, "SafeMentor/v1/x3dh", 32)
        s = Session()
        s.AD = m["iks"] + m["ikd"] + self.iks_pub + self.ikd_pub
        s.RK = SK
        s.DHs = (spk_priv, x_pub(spk_priv))
        s.DHr = None
        s.x3dh = {k: m[k] for k in ("iks", "ikd", "sigId", "ek", "spkId", "opkId")}
        s.SK = SK
        pt = s.decrypt(m["header"], m["ct"], self.keysrc)   # failure -> no state change
        s.received_any = True
        self.seen_ek.add((m["iks"], m["ek"]))
        if m["opkId"] != NO_OPK:
            del self.opks[m["opkId"]]   # deleted once a first message decrypted
        self.sessions.insert(0, s)
        del self.sessions[6:]
        return pt


# --------------------------------------------------------------------------
# JSON format checks
# --------------------------------------------------------------------------
HEX_RE = re.compile(r"^(?:[0-9a-f]{2})*$")
MAX_INT = 2**53 - 1


def load_json_strict(path):
    raw = open(path, "rb").read()
    text = raw.decode("utf-8")
    floats = []
    dups = []

    def pf(s):
        floats.append(s)
        return float(s)

    def hook(pairs):
        keys = [k for k, _ in pairs]
        if len(keys) != len(set(keys)):
            dups.append(keys)
        return dict(pairs)

    def bad_const(s):
        floats.append(s)
        return float(s)

    data = json.loads(text, parse_float=pf, object_pairs_hook=hook, parse_constant=bad_const)
    check(f"{path}: valid UTF-8 JSON, no duplicate keys", not dups, f"duplicates: {dups}")
    check(f"{path}: no non-integer numeric literals (fraction/exponent/NaN)", not floats,
          f"found: {floats}")
    return data


def hexfield(label, v, nbytes=None, allow_null=False):
    if v is None and allow_null:
        return None
    ok = isinstance(v, str) and HEX_RE.match(v) is not None
    if ok and nbytes is not None:
        ok = len(v) == 2 * nbytes
    check(f"{label}: lowercase hex" + (f", {nbytes} bytes" if nbytes else ""), ok, repr(v)[:120])
    return bytes.fromhex(v) if isinstance(v, str) and re.fullmatch(r"[0-9a-fA-F]*", v) and len(v) % 2 == 0 else b""


def intfield(label, v, lo=0, hi=MAX_INT, allow_null=False):
    if v is None and allow_null:
        return None
    ok = isinstance(v, int) and not isinstance(v, bool) and lo <= v <= hi and v <= MAX_INT
    check(f"{label}: integer literal in [{lo}, {hi}]", ok, repr(v))
    return v


def strfield(label, v):
    ok = isinstance(v, str)
    if ok:
        try:
            ok = len(v.encode("utf-8")) <= 65535
        except UnicodeEncodeError:
            ok = False  # lone surrogates
    check(f"{label}: string, valid UTF-8, <= 65535 bytes", ok, repr(v)[:120])
    return v


def keys_exact(label, obj, keys):
    check(f"{label}: has exactly keys {sorted(keys)}", isinstance(obj, dict) and set(obj) == set(keys),
          f"got {sorted(obj) if isinstance(obj, dict) else type(obj)}")


# --------------------------------------------------------------------------
# session vectors
# --------------------------------------------------------------------------
def run_session_vector(v, cover):
    name = v.get("name", "?")
    P_ = f"[{name}]"
    keys_exact(f"{P_} top", v, ["name", "alice", "bob", "expected", "steps"])
    a, b, e = v["alice"], v["bob"], v["expected"]
    keys_exact(f"{P_} alice", a, ["identitySigningSeed", "identityDhPrivate", "ephemeralPrivate", "ratchetPrivates"])
    keys_exact(f"{P_} bob", b, ["identitySigningSeed", "identityDhPrivate", "signedPrekeyId", "signedPrekeyPrivate",
                                "oneTimePrekeyId", "oneTimePrekeyPrivate", "ratchetPrivates"])
    keys_exact(f"{P_} expected", e, ["aliceAccountId", "bobAccountId", "aliceIdentitySignature", "bobIdentitySignature",
                                     "bobSignedPrekeySignature", "sharedSecret", "associatedData", "safetyNumber"])

    a_iks = hexfield(f"{P_} alice.identitySigningSeed", a["identitySigningSeed"], 32)
    a_ikd = hexfield(f"{P_} alice.identityDhPrivate", a["identityDhPrivate"], 32)
    a_ek = hexfield(f"{P_} alice.ephemeralPrivate", a["ephemeralPrivate"], 32)
    a_rp = [hexfield(f"{P_} alice.ratchetPrivates[{i}]", x, 32) for i, x in enumerate(a["ratchetPrivates"])]
    b_iks = hexfield(f"{P_} bob.identitySigningSeed", b["identitySigningSeed"], 32)
    b_ikd = hexfield(f"{P_} bob.identityDhPrivate", b["identityDhPrivate"], 32)
    spk_id = intfield(f"{P_} bob.signedPrekeyId", b["signedPrekeyId"], 0, 0xFFFFFFFF)
    spk = hexfield(f"{P_} bob.signedPrekeyPrivate", b["signedPrekeyPrivate"], 32)
    opk_id = intfield(f"{P_} bob.oneTimePrekeyId", b["oneTimePrekeyId"], 0, 0xFFFFFFFE, allow_null=True)
    opk = hexfield(f"{P_} bob.oneTimePrekeyPrivate", b["oneTimePrekeyPrivate"], 32, allow_null=True)
    check(f"{P_} oneTimePrekeyId and oneTimePrekeyPrivate both null or both set",
          (opk_id is None) == (opk is None))
    b_rp = [hexfield(f"{P_} bob.ratchetPrivates[{i}]", x, 32) for i, x in enumerate(b["ratchetPrivates"])]
    for k in ("aliceIdentitySignature", "bobIdentitySignature", "bobSignedPrekeySignature"):
        hexfield(f"{P_} expected.{k}", e[k], 64)
    hexfield(f"{P_} expected.sharedSecret", e["sharedSecret"], 32)
    hexfield(f"{P_} expected.associatedData", e["associatedData"], 128)
    for k in ("aliceAccountId", "bobAccountId"):
        check(f"{P_} expected.{k}: format sm_ + 32 base32 lower chars",
              isinstance(e[k], str) and re.fullmatch(r"sm_[a-z2-7]{32}", e[k]) is not None, repr(e[k]))
    check(f"{P_} expected.safetyNumber: 12 groups of 5 digits",
          isinstance(e["safetyNumber"], str) and re.fullmatch(r"\d{5}( \d{5}){11}", e["safetyNumber"]) is not None)

    alice = Party("alice", a_iks, a_ikd, a_rp)
    bob = Party("bob", b_iks, b_ikd, b_rp)
    bob.spks[spk_id] = spk
    if opk is not None:
        bob.opks[opk_id] = opk

    check_eq(f"{P_} aliceAccountId", account_id(alice.iks_pub), e["aliceAccountId"])
    check_eq(f"{P_} bobAccountId", account_id(bob.iks_pub), e["bobAccountId"])
    check_eq(f"{P_} aliceIdentitySignature", alice.sigId, e["aliceIdentitySignature"])
    check(f"{P_} aliceIdentitySignature verifies (strict)",
          Verify(alice.iks_pub, lbl("SafeMentor/v1/identity") + alice.ikd_pub, bytes.fromhex(e["aliceIdentitySignature"])))
    check_eq(f"{P_} bobIdentitySignature", bob.sigId, e["bobIdentitySignature"])
    check(f"{P_} bobIdentitySignature verifies (strict)",
          Verify(bob.iks_pub, lbl("SafeMentor/v1/identity") + bob.ikd_pub, bytes.fromhex(e["bobIdentitySignature"])))
    spk_pub = x_pub(spk)
    sig_spk = Sign(b_iks, spk_signed_bytes(spk_id, spk_pub))
    check_eq(f"{P_} bobSignedPrekeySignature", sig_spk, e["bobSignedPrekeySignature"])
    check(f"{P_} bobSignedPrekeySignature verifies (strict)",
          Verify(bob.iks_pub, spk_signed_bytes(spk_id, spk_pub), bytes.fromhex(e["bobSignedPrekeySignature"])))
    check_eq(f"{P_} safetyNumber", safety_number(alice.iks_pub, alice.ikd_pub, bob.iks_pub, bob.ikd_pub),
             e["safetyNumber"])
    check_eq(f"{P_} safetyNumber symmetric", safety_number(bob.iks_pub, bob.ikd_pub, alice.iks_pub, alice.ikd_pub),
             e["safetyNumber"])

    bundle = {"accountId": account_id(bob.iks_pub), "iks": bob.iks_pub, "ikd": bob.ikd_pub, "sigId": bob.sigId,
              "spkId": spk_id, "spk": spk_pub, "sigSpk": sig_spk,
              "opkId": opk_id, "opk": x_pub(opk) if opk is not None else None}
    try:
        _s, SK, AD = alice.initiate(bundle, a_ek)
    except ProtocolError as ex:
        check(f"{P_} X3DH initiation", False, str(ex))
        return
    check_eq(f"{P_} sharedSecret (X3DH SK)", SK, e["sharedSecret"])
    check_eq(f"{P_} associatedData", AD, e["associatedData"])
    if opk is None:
        cover["no_opk"].append(name)
    else:
        cover["opk"].append(name)

    parties = {"alice": alice, "bob": bob}
    sent = {}
    received_ids = set()
    for i, st in enumerate(v["steps"]):
        op = st.get("op")
        sl = f"{P_} step {i}"
        if op == "send":
            keys_exact(sl, st, ["op", "from", "id", "payload", "wire"])
            frm = st["from"]
            check(f"{sl}: from is alice|bob", frm in parties, repr(frm))
            check(f"{sl}: id '{st['id']}' unique", st["id"] not in sent)
            payload = hexfield(f"{sl} payload", st["payload"])
            wire_exp = hexfield(f"{sl} wire", st["wire"])
            if len(payload) == 0:
                cover["empty_sent"].add((name, st["id"]))
            try:
                wire = parties[frm].send(payload)
            except ProtocolError as ex:
                check(f"{sl}: send {st['id']} by {frm}", False, str(ex))
                return
            check_eq(f"{sl}: send {st['id']} by {frm}: wire bytes", wire, wire_exp)
            sent[st["id"]] = {"from": frm, "wire": wire_exp, "payload": payload}
        elif op == "receive":
            keys_exact(sl, st, ["op", "to", "id", "payload"])
            to = st["to"]
            mid = st["id"]
            check(f"{sl}: to is alice|bob", to in parties, repr(to))
            if not check(f"{sl}: receive names an earlier send '{mid}'", mid in sent):
                continue
            check(f"{sl}: receiver {to} is not the sender", sent[mid]["from"] != to)
            check(f"{sl}: '{mid}' delivered only once", mid not in received_ids)
            received_ids.add(mid)
            payload = hexfield(f"{sl} payload", st["payload"])
            check_eq(f"{sl}: receive payload equals send payload", payload, sent[mid]["payload"])
            party = parties[to]
            before = [s.used_skipped_after_newer_chain for s in party.sessions]
            try:
                pt = party.receive(sent[mid]["wire"])
            except ProtocolError as ex:
                check(f"{sl}: receive {mid} by {to}", False, f"decryption failed: {ex}")
                continue
            check_eq(f"{sl}: receive {mid} by {to}: decrypted payload", pt, payload)
            if party.sessions[0].used_skipped_after_newer_chain and not any(before):
                cover["skipped_after_newer"].append((name, mid))
            if len(pt) == 0:
                cover["empty_received"].add((name, mid))
        else:
            check(f"{sl}: op is send|receive", False, repr(op))
    steps_total = sum(s.dh_steps for p in parties.values() for s in p.sessions)
    print(f"      info {P_}: DH ratchet steps alice={sum(s.dh_steps for s in alice.sessions)} "
          f"bob={sum(s.dh_steps for s in bob.sessions)}; ratchet keys used alice={alice.keysrc.i}/{len(a_rp)} "
          f"bob={bob.keysrc.i}/{len(b_rp)}; Bob's OPK deleted={opk is not None and opk_id not in bob.opks}")
    if steps_total >= 2:
        cover["two_dh_steps"].append(name)
    unreceived = [k for k in sent if k not in received_ids]
    if unreceived:
        print(f"      info {P_}: sent but never received: {unreceived}")


# --------------------------------------------------------------------------
# statements
# --------------------------------------------------------------------------
def build_statement(kind, f, lab):
    if kind == "consent":
        keys_exact(f"{lab} fields", f, ["mentorshipId", "groundRulesHash", "decision", "timestampMs"])
        grh = hexfield(f"{lab} groundRulesHash", f["groundRulesHash"], 32)
        intfield(f"{lab} decision", f["decision"], 0, 1)
        intfield(f"{lab} timestampMs", f["timestampMs"])
        strfield(f"{lab} mentorshipId", f["mentorshipId"])
        return (lbl("SafeMentor/v1/consent") + sstr(f["mentorshipId"]) + grh + u8(f["decision"])
                + u64(f["timestampMs"]))
    if kind == "auth":
        keys_exact(f"{lab} fields", f, ["accountId", "nonce"])
        nonce = hexfield(f"{lab} nonce", f["nonce"], 32)
        strfield(f"{lab} accountId", f["accountId"])
        return lbl("SafeMentor/v1/auth") + sstr(f["accountId"]) + nonce
    if kind == "export-consent":
        keys_exact(f"{lab} fields", f, ["mentorshipId", "exporterAccountId", "fromMs", "toMs", "purpose",
                                        "recipient", "expiresMs", "timestampMs"])
        for k in ("fromMs", "toMs", "expiresMs", "timestampMs"):
            intfield(f"{lab} {k}", f[k])
        for k in ("mentorshipId", "exporterAccountId", "purpose", "recipient"):
            strfield(f"{lab} {k}", f[k])
        return (lbl("SafeMentor/v1/export-consent") + sstr(f["mentorshipId"]) + sstr(f["exporterAccountId"])
                + u64(f["fromMs"]) + u64(f["toMs"]) + sstr(f["purpose"]) + sstr(f["recipient"])
                + u64(f["expiresMs"]) + u64(f["timestampMs"]))
    raise ProtocolError(f"unknown kind {kind!r}")


def has_non_ascii(obj):
    if isinstance(obj, str):
        return any(ord(c) > 127 for c in obj)
    if isinstance(obj, dict):
        return any(has_non_ascii(x) for x in obj.values())
    return False


def run_statements(data):
    kinds = set()
    non_ascii = []
    for i, st in enumerate(data):
        lab = f"[statement {i} {st.get('name', '?')}]"
        keys_exact(lab, st, ["name", "kind", "signingSeed", "fields", "message", "signature"])
        kind = st["kind"]
        check(f"{lab} kind is consent|auth|export-consent", kind in ("consent", "auth", "export-consent"), repr(kind))
        kinds.add(kind)
        seed = hexfield(f"{lab} signingSeed", st["signingSeed"], 32)
        msg_exp = hexfield(f"{lab} message", st["message"])
        sig_exp = hexfield(f"{lab} signature", st["signature"], 64)
        try:
            msg = build_statement(kind, st["fields"], lab)
        except ProtocolError as ex:
            check(f"{lab} build message", False, str(ex))
            continue
        check_eq(f"{lab} message rebuilt from fields", msg, msg_exp)
        pub = ed_pub(seed)
        check(f"{lab} signature verifies over message (strict)", Verify(pub, msg_exp, sig_exp))
        check_eq(f"{lab} signature reproduced", Sign(seed, msg), sig_exp)
        if kind == "auth":
            check_eq(f"{lab} accountId is the signer's own (spec: 'accountId is the signer's own')",
                     account_id(pub), st["fields"]["accountId"])
        if kind == "export-consent":
            check(f"{lab} signer is not the exporter (spec: 'signed by the counterpart, never by the exporter')",
                  account_id(pub) != st["fields"]["exporterAccountId"])
        if has_non_ascii(st["fields"]):
            non_ascii.append(st.get("name"))
    for k in ("consent", "auth", "export-consent"):
        check(f"statements coverage: at least one '{k}'", k in kinds)
    check(f"statements coverage: a vector with a non-ASCII string in fields {non_ascii}", bool(non_ascii))


def run_ground_rules(data):
    """groundRulesHash: SHA-256 over the canonical encoding defined in docs/protocol.md."""
    for i, g in enumerate(data):
        lab = f"[ground rules {i} {g.get('name', '?')}]"
        keys_exact(lab, g, ["name", "fields", "canonical", "groundRulesHash"])
        f = g["fields"]
        keys_exact(f"{lab} fields", f, ["programmeId", "version", "text", "undeliveredRetentionMs",
                                        "clientHistoryRetentionMs", "exportAllowed", "contactHours",
                                        "expectedResponseHours"])
        check(f"{lab} exportAllowed is a boolean", isinstance(f["exportAllowed"], bool))
        canonical = (lbl("SafeMentor/v1/ground-rules") + sstr(f["programmeId"]) + u32(f["version"])
                     + sstr(f["text"]) + u64(f["undeliveredRetentionMs"]) + u64(f["clientHistoryRetentionMs"])
                     + u8(1 if f["exportAllowed"] else 0) + sstr(f["contactHours"]) + u32(f["expectedResponseHours"]))
        check_eq(f"{lab} canonical encoding rebuilt from fields", canonical, hexfield(f"{lab} canonical", g["canonical"]))
        check_eq(f"{lab} groundRulesHash", H(canonical), hexfield(f"{lab} groundRulesHash", g["groundRulesHash"], 32))


# --------------------------------------------------------------------------
def self_tests():
    key = bytes(range(32))
    nonce = bytes.fromhex("000000090000004a0000000031415927")
    exp = bytes.fromhex("82413b4227b27bfed30e42508a877d73a0f9e4d58a74a853c12ec41326d3ecdc")
    check_eq("self-test HChaCha20 (draft-irtf-cfrg-xchacha 2.2.1)", hchacha20(key, nonce), exp)
    check_eq("self-test HChaCha20 pure-Python == derived from OpenSSL ChaCha20 block",
             hchacha20(key, nonce), hchacha20_via_openssl(key, nonce))
    k2, n2 = os.urandom(32), os.urandom(16)
    check_eq("self-test HChaCha20 random input cross-check", hchacha20(k2, n2), hchacha20_via_openssl(k2, n2))
    # RFC 8032 test 1
    sk = bytes.fromhex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60")
    check_eq("self-test Ed25519 RFC 8032 #1 signature", Sign(sk, b""), bytes.fromhex(
        "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"))
    check("self-test strict Verify accepts RFC 8032 #1", Verify(ed_pub(sk), b"", Sign(sk, b"")))
    # RFC 7748 6.1
    a = bytes.fromhex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a")
    bp = bytes.fromhex("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f")
    check_eq("self-test X25519 RFC 7748 6.1", DH(a, bp),
             bytes.fromhex("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742"))
    check_eq("self-test pad/unpad", unpad(pad(b"\x80\x00")), b"\x80\x00")
    check("self-test pad lengths", len(pad(b"")) == 256 and len(pad(b"a" * 255)) == 256 and len(pad(b"a" * 256)) == 512)


def run_export_records(records):
    """Export records (docs/protocol.md, Export records): content bytes and hash, statement, record hash, signature."""
    for v in records:
        name = v.get("name")
        content = lbl("SafeMentor/v1/export-content") + u32(len(v["messages"]))
        for m in v["messages"]:
            content += sstr(m["messageId"]) + sstr(m["senderAccountId"]) + u64(m["sentAtMs"]) + sstr(m["text"])
        check_eq(f"[{name}] export content canonical bytes", content.hex(), v["contentCanonical"])
        check_eq(f"[{name}] export content hash", H(content).hex(), v["contentHash"])
        f = v["fields"]
        check_eq(f"[{name}] message count", f["messageCount"], len(v["messages"]))
        check_eq(f"[{name}] content hash in fields", f["contentHash"], v["contentHash"])
        statement = (lbl("SafeMentor/v1/export-record") + sstr(f["mentorshipId"]) + sstr(f["exporterAccountId"])
                     + sstr(f["counterpartAccountId"]) + bytes.fromhex(f["groundRulesHash"])
                     + bytes.fromhex(f["exporterConsentSignature"]) + bytes.fromhex(f["counterpartConsentSignature"])
                     + u64(f["fromMs"]) + u64(f["toMs"]) + bytes.fromhex(f["exportConsentSignature"])
                     + u32(f["messageCount"]) + bytes.fromhex(f["contentHash"]) + u64(f["createdAtMs"]))
        check_eq(f"[{name}] export-record statement bytes", statement.hex(), v["message"])
        check_eq(f"[{name}] record hash", H(statement).hex(), v["recordHash"])
        seed = bytes.fromhex(v["exporterSigningSeed"])
        check_eq(f"[{name}] exporter account id", account_id(ed_pub(seed)), f["exporterAccountId"])
        check_eq(f"[{name}] exporter signature", Sign(seed, statement).hex(), v["signature"])
        check(f"[{name}] exporter signature verifies", Verify(ed_pub(seed), statement, bytes.fromhex(v["signature"])))


def run_audit(v):
    """tests/vectors/audit.json: the audit chain of docs/compliance.md, rebuilt from its fields."""
    name = v["name"]
    prev = bytes(32)
    for e in v["entries"]:
        b = e["body"]
        body = (lbl("SafeMentor/v1/audit-body") + sstr(b["programmeId"]) + sstr(b["actor"]) + sstr(b["target"])
                + sstr(b["before"]) + sstr(b["after"]))
        check_eq(f"[{name}] seq {e['seq']} body bytes", body.hex(), e["bodyBytes"])
        body_hash = H(body)
        check_eq(f"[{name}] seq {e['seq']} body hash", body_hash.hex(), e["bodyHash"])
        check_eq(f"[{name}] seq {e['seq']} prev hash", prev.hex(), e["prevHash"])
        entry = lbl("SafeMentor/v1/audit-entry") + u64(e["seq"]) + u64(e["timeMs"]) + sstr(e["action"]) + body_hash + prev
        check_eq(f"[{name}] seq {e['seq']} entry bytes", entry.hex(), e["entryBytes"])
        prev = H(entry)
        check_eq(f"[{name}] seq {e['seq']} hash", prev.hex(), e["hash"])
    c = v["checkpoint"]
    pub = bytes.fromhex(v["serverPublicKey"])
    check_eq(f"[{name}] server public key from seed", ed_pub(bytes.fromhex(v["serverSeed"])).hex(), v["serverPublicKey"])
    signed = lbl("SafeMentor/v1/audit-checkpoint") + pub + u64(c["seq"]) + prev + u64(c["timeMs"])
    check_eq(f"[{name}] checkpoint signed bytes", signed.hex(), c["signedBytes"])
    check_eq(f"[{name}] checkpoint signature", Sign(bytes.fromhex(v["serverSeed"]), signed).hex(), c["signature"])
    check(f"[{name}] checkpoint signature verifies", Verify(pub, signed, bytes.fromhex(c["signature"])))


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    vectors = os.path.join(here, "..", "vectors")
    sp = sys.argv[1] if len(sys.argv) > 1 else os.path.join(vectors, "sessions.json")
    tp = sys.argv[2] if len(sys.argv) > 2 else os.path.join(vectors, "statements.json")
    gp = sys.argv[3] if len(sys.argv) > 3 else os.path.join(vectors, "ground-rules.json")
    ep = sys.argv[4] if len(sys.argv) > 4 else os.path.join(vectors, "export-records.json")
    ap = sys.argv[5] if len(sys.argv) > 5 else os.path.join(vectors, "audit.json")
    self_tests()
    sessions = load_json_strict(sp)
    cover = {"opk": [], "no_opk": [], "two_dh_steps": [], "skipped_after_newer": [],
             "empty_sent": set(), "empty_received": set()}
    check(f"{sp}: top level is a non-empty array", isinstance(sessions, list) and sessions)
    names = [v.get("name") for v in sessions]
    check(f"{sp}: vector names unique", len(names) == len(set(names)), str(names))
    for v in sessions:
        try:
            run_session_vector(v, cover)
        except Exception as ex:  # noqa
            import traceback
            traceback.print_exc()
            check(f"[{v.get('name')}] ran without exception", False, repr(ex))
    check(f"sessions coverage: with one-time prekey {cover['opk']}", bool(cover["opk"]))
    check(f"sessions coverage: without one-time prekey {cover['no_opk']}", bool(cover["no_opk"]))
    check(f"sessions coverage: >= 2 DH ratchet steps in one vector {cover['two_dh_steps']}",
          bool(cover["two_dh_steps"]))
    check(f"sessions coverage: skipped key used after receiver moved to newer chain {cover['skipped_after_newer']}",
          bool(cover["skipped_after_newer"]))
    both = cover["empty_sent"] & cover["empty_received"]
    check(f"sessions coverage: empty payload sent and received {sorted(both)}", bool(both))

    statements = load_json_strict(tp)
    check(f"{tp}: top level is a non-empty array", isinstance(statements, list) and statements)
    run_statements(statements)

    ground_rules = load_json_strict(gp)
    check(f"{gp}: top level is a non-empty array", isinstance(ground_rules, list) and ground_rules)
    run_ground_rules(ground_rules)

    export_records = load_json_strict(ep)
    check(f"{ep}: top level is a non-empty array", isinstance(export_records, list) and export_records)
    run_export_records(export_records)

    audit = load_json_strict(ap)
    check(f"{ap}: top level is an object with entries", isinstance(audit, dict) and audit.get("entries"))
    run_audit(audit)

    print(f"\nSUMMARY: {RESULTS['ok']} checks passed, {RESULTS['fail']} failed")
    sys.exit(1 if RESULTS["fail"] else 0)


if __name__ == "__main__":
    main()
