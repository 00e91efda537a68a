"""blog/fediverse/signatures.py against the published test vectors of draft-cavage-http-signatures-12
(Appendix C): its test key, its request, and the signatures the draft prints for them."""

from datetime import UTC, datetime

import pytest

from blog.fediverse.signatures import (
    SignatureError,
    check_request_shape,
    digest_header,
    load_private_key,
    load_public_key,
    parse_signature,
    sign,
    signing_string,
    verify,
)

# Appendix C: the test key pair ("Test") and the request every vector signs.
PUBLIC_PEM = """-----BEGIN PUBLIC KEY-----
MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDCFENGw33yGihy92pDjZQhl0C3
6rPJj+CvfSC8+q28hxA161QFNUd13wuCTUcq0Qd2qsBe/2hFyc2DCJJg0h1L78+6
Z4UMR7EOcpfdUE9Hf3m/hs+FUR45uBJeDK1HSFHD8bHKD6kv8FPGfJTotc+2xjJw
oYi+1hqp1fIekaxsyQIDAQAB
-----END PUBLIC KEY-----
"""
PRIVATE_PEM = """-----BEGIN RSA PRIVATE KEY-----
MIICXgIBAAKBgQDCFENGw33yGihy92pDjZQhl0C36rPJj+CvfSC8+q28hxA161QF
NUd13wuCTUcq0Qd2qsBe/2hFyc2DCJJg0h1L78+6Z4UMR7EOcpfdUE9Hf3m/hs+F
UR45uBJeDK1HSFHD8bHKD6kv8FPGfJTotc+2xjJwoYi+1hqp1fIekaxsyQIDAQAB
AoGBAJR8ZkCUvx5kzv+utdl7T5MnordT1TvoXXJGXK7ZZ+UuvMNUCdN2QPc4sBiA
QWvLw1cSKt5DsKZ8UETpYPy8pPYnnDEz2dDYiaew9+xEpubyeW2oH4Zx71wqBtOK
kqwrXa/pzdpiucRRjk6vE6YY7EBBs/g7uanVpGibOVAEsqH1AkEA7DkjVH28WDUg
f1nqvfn2Kj6CT7nIcE3jGJsZZ7zlZmBmHFDONMLUrXR/Zm3pR5m0tCmBqa5RK95u
412jt1dPIwJBANJT3v8pnkth48bQo/fKel6uEYyboRtA5/uHuHkZ6FQF7OUkGogc
mSJluOdc5t6hI1VsLn0QZEjQZMEOWr+wKSMCQQCC4kXJEsHAve77oP6HtG/IiEn7
kpyUXRNvFsDE0czpJJBvL/aRFUJxuRK91jhjC68sA7NsKMGg5OXb5I5Jj36xAkEA
gIT7aFOYBFwGgQAQkWNKLvySgKbAZRTeLBacpHMuQdl1DfdntvAyqpAZ0lY0RKmW
G6aFKaqQfOXKCyWoUiVknQJAXrlgySFci/2ueKlIE1QqIiLSZ8V8OlpFLRnb1pzI
7U1yQXnTAEFYM560yJlzUpOb1V4cScGd365tiSMvxLOvTA==
-----END RSA PRIVATE KEY-----
"""
BODY = b'{"hello": "world"}'
TARGET = "/foo?param=value&pet=dog"
HEADERS = {
    "host": "example.com",
    "date": "Sun, 05 Jan 2014 21:31:40 GMT",
    "content-type": "application/json",
    "digest": "SHA-256=X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=",
    "content-length": "18",
}
# C.2 "Basic Test" and C.3 "All Headers Test", as printed in the draft.
BASIC = (
    'keyId="Test",algorithm="rsa-sha256",headers="(request-target) host date",signature="qdx+H7PHHDZgy4y/Ahn9'
    "Tny9V3GP6YgBPyUXMmoxWtLbHpUnXS2mg2+SbrQDMCJypxBLSPQR2aAjn7ndmw2iicw3HMbe8VfEdKFYRqzic+efkb3nndiv/x1xSHDJ"
    'WeSWkx3ButlYSuBskLu6kd9Fswtemr3lgdDEmn04swr2Os0="'
)
ALL_HEADERS = (
    'keyId="Test",algorithm="rsa-sha256",headers="(request-target) host date content-type digest '
    'content-length",signature="vSdrb+dS3EceC9bcwHSo4MlyKS59iFIrhgYkz8+oVLEEzmYZZvRs8rgOp+63LEM3v+MFHB32NfpB2bEK'
    'BIvB1q52LaEUHFv120V01IL+TAD48XaERZFukWgHoBTLMhYS2Gb51gWxpeIq8knRmPnYePbF5MOkR0Zkly4zKH7s1dE="'
)


@pytest.mark.parametrize("header", [BASIC, ALL_HEADERS], ids=["C.2 basic", "C.3 all headers"])
def test_published_vectors_verify(header):
    verify(load_public_key(PUBLIC_PEM), parse_signature(header), "POST", TARGET, HEADERS)


@pytest.mark.parametrize("header", [BASIC, ALL_HEADERS], ids=["C.2 basic", "C.3 all headers"])
def test_our_signer_reproduces_the_published_signatures(header):
    params = parse_signature(header)
    names = params["headers"].split()
    ours = sign(load_private_key(PRIVATE_PEM), "Test", signing_string("POST", TARGET, HEADERS, names), names)
    assert parse_signature(ours)["signature"] == params["signature"]


def test_the_vectors_digest_is_the_body_digest():
    assert digest_header(BODY) == HEADERS["digest"]


@pytest.mark.parametrize(
    "changed",
    [
        {"host": "example.org"},
        {"date": "Sun, 05 Jan 2014 21:31:41 GMT"},
        {"digest": "SHA-256=" + "A" * 43 + "="},
    ],
)
def test_a_changed_covered_header_fails(changed):
    with pytest.raises(SignatureError):
        verify(load_public_key(PUBLIC_PEM), parse_signature(ALL_HEADERS), "POST", TARGET, HEADERS | changed)


def test_another_target_or_method_fails():
    key, params = load_public_key(PUBLIC_PEM), parse_signature(BASIC)
    with pytest.raises(SignatureError):
        verify(key, params, "POST", "/foo?param=value&pet=cat", HEADERS)
    with pytest.raises(SignatureError):
        verify(key, params, "GET", TARGET, HEADERS)


def test_shape_the_digest_must_be_covered_and_match_and_the_date_fresh():
    then = datetime(2014, 1, 5, 21, 31, 40, tzinfo=UTC)
    mastodon = parse_signature('keyId="k",headers="(request-target) host date digest",signature="x"')
    check_request_shape(mastodon, HEADERS, BODY, now=then)  # fine
    with pytest.raises(SignatureError, match="does not cover digest"):
        check_request_shape(parse_signature(BASIC), HEADERS, BODY, now=then)
    with pytest.raises(SignatureError, match="Digest"):
        check_request_shape(mastodon, HEADERS, BODY + b" ", now=then)
    with pytest.raises(SignatureError, match="stale"):
        check_request_shape(mastodon, HEADERS, BODY, now=datetime(2014, 1, 5, 22, 31, 41, tzinfo=UTC))
