import base64
import hashlib
import hmac
import re
from pathlib import Path

from facturier.webhooks.signing import SIGNATURE_HEADER, TIMESTAMP_HEADER, signature, signed_headers, verify

KEY = base64.b64encode(bytes(range(32))).decode()
BODY = b'{"flowId":"f-1","acknowledgement":{"status":"Ok"}}'


def test_signature_is_the_hmac_sha256_of_body_at_timestamp_with_the_decoded_key():
    expected = base64.b64encode(hmac.new(bytes(range(32)), BODY + b"@1767225600", hashlib.sha256).digest()).decode()
    assert signature(KEY, BODY, 1767225600) == expected


def test_signed_headers_verify_within_the_window():
    headers = signed_headers(KEY, BODY, timestamp=1767225600)
    assert headers[TIMESTAMP_HEADER] == "1767225600"
    assert verify(KEY, BODY, headers, now=1767225600 + 299)


def test_a_replayed_callback_is_refused_once_out_of_the_window():
    headers = signed_headers(KEY, BODY, timestamp=1767225600)
    assert not verify(KEY, BODY, headers, now=1767225600 + 301)
    assert not verify(KEY, BODY, headers, now=1767225600 - 301)


def test_an_altered_body_a_moved_timestamp_or_another_key_fail():
    headers = signed_headers(KEY, BODY, timestamp=1767225600)
    assert not verify(KEY, BODY.replace(b"Ok", b"Error"), headers, now=1767225600)
    assert not verify(KEY, BODY, {**headers, TIMESTAMP_HEADER: "1767225601"}, now=1767225600)
    other_key = base64.b64encode(bytes(32)).decode()
    assert not verify(other_key, BODY, headers, now=1767225600)


def test_missing_or_malformed_headers_fail():
    headers = signed_headers(KEY, BODY, timestamp=1767225600)
    assert not verify(KEY, BODY, {SIGNATURE_HEADER: headers[SIGNATURE_HEADER]}, now=1767225600)
    assert not verify(KEY, BODY, {**headers, TIMESTAMP_HEADER: "soon"}, now=1767225600)


def test_the_guides_receiver_code_accepts_a_signed_callback_and_refuses_a_forged_one():
    guide = (Path(__file__).resolve().parents[3] / "docs" / "api.md").read_text(encoding="utf-8")
    [code] = re.findall(r"```python\n(.*?)```", guide, flags=re.DOTALL)
    namespace = {}
    exec(code, namespace)  # the guide's few lines, as a receiver would paste them
    headers = signed_headers(KEY, BODY)
    assert namespace["is_authentic"](KEY, BODY, headers)
    assert not namespace["is_authentic"](KEY, BODY + b" ", headers)
