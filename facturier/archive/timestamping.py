"""RFC 3161 time-stamps: a trusted third party's proof that a checkpoint existed at a given time.

A signed checkpoint proves who made it, not when: whoever holds the signing key
could sign an old-dated one after rewriting the database. When a time-stamping
authority is configured (``ARCHIVE_TSA_URL``), each checkpoint index is sent
there as a SHA-256 imprint and the token it answers is kept beside the index
(``<index>.tsr``). Anyone can check it with standard tools, given the TSA's
certificate authority::

    openssl ts -verify -data <index>.json -in <index>.json.tsr -CAfile tsa-ca.pem

``check`` below verifies what needs no outside trust: the token's imprint is
that of the file, and its signature is the one of the certificate it carries.
"""

import hashlib
import secrets

import httpx
from asn1crypto import cms, tsp
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from django.conf import settings

from facturier.archive.exceptions import ArchiveError

GRANTED = {"granted", "granted_with_mods"}
HASHES = {"sha256": hashes.SHA256, "sha384": hashes.SHA384, "sha512": hashes.SHA512}


class TimestampError(ArchiveError):
    pass


def is_configured():
    return bool(getattr(settings, "ARCHIVE_TSA_URL", ""))


def request_token(data):
    """Ask the TSA to time-stamp ``data``; return the DER token once checked."""
    nonce = secrets.randbits(63)
    query = tsp.TimeStampReq({
        "version": "v1",
        "message_imprint": {"hash_algorithm": {"algorithm": "sha256"}, "hashed_message": hashlib.sha256(data).digest()},
        "nonce": nonce,
        "cert_req": True,
    })
    try:
        answer = httpx.post(settings.ARCHIVE_TSA_URL, content=query.dump(), timeout=settings.ARCHIVE_TSA_TIMEOUT,
                            headers={"Content-Type": "application/timestamp-query"})
        answer.raise_for_status()
        response = tsp.TimeStampResp.load(answer.content)
        status = response["status"]["status"].native
    except (httpx.HTTPError, ValueError, TypeError) as error:
        raise TimestampError(f"The time-stamping authority did not answer: {error}") from error
    if status not in GRANTED:
        raise TimestampError(f"The time-stamping authority refused: {status}")
    token = response["time_stamp_token"].dump()
    if check(token, data)["nonce"] != nonce:
        raise TimestampError("The time-stamp answers another request (nonce).")
    return token


def check(token, data):
    """The token's TSTInfo (as Python values) once its imprint and signature are checked."""
    try:
        signed = cms.ContentInfo.load(token)["content"]
        info = signed["encap_content_info"]["content"].parsed
        imprint = info["message_imprint"]
        algorithm = imprint["hash_algorithm"]["algorithm"].native
        if hashlib.new(algorithm, data).digest() != imprint["hashed_message"].native:
            raise TimestampError("The time-stamp is for other content.")
        _check_signature(signed, info.dump())
        return info.native
    except (KeyError, TypeError, ValueError, AttributeError, InvalidSignature) as error:
        raise TimestampError(f"The time-stamp token is invalid: {error}") from error


def _check_signature(signed, content):
    signer = signed["signer_infos"][0]
    digest_algorithm = signer["digest_algorithm"]["algorithm"].native
    attributes = {attribute["type"].native: attribute["values"][0].native for attribute in signer["signed_attrs"]}
    if attributes.get("message_digest") != hashlib.new(digest_algorithm, content).digest():
        raise TimestampError("The time-stamp's signed digest does not match its content.")
    certificate = _signer_certificate(signed, signer["sid"])
    # The signature covers the attributes encoded as a SET (tag 0x31), not as the [0] they are stored in.
    signed_bytes = b"\x31" + signer["signed_attrs"].dump()[1:]
    key = certificate.public_key()
    chosen = HASHES[digest_algorithm]()
    if isinstance(key, ec.EllipticCurvePublicKey):
        key.verify(signer["signature"].native, signed_bytes, ec.ECDSA(chosen))
    elif isinstance(key, rsa.RSAPublicKey):
        key.verify(signer["signature"].native, signed_bytes, padding.PKCS1v15(), chosen)
    else:
        raise TimestampError("Unsupported time-stamp signature key.")


def _signer_certificate(signed, sid):
    wanted = sid.chosen
    for choice in signed["certificates"] or []:
        certificate = choice.chosen
        if sid.name == "issuer_and_serial_number" and (
            certificate.issuer == wanted["issuer"] and certificate.serial_number == wanted["serial_number"].native
        ):
            return x509.load_der_x509_certificate(certificate.dump())
        if sid.name == "subject_key_identifier" and certificate.key_identifier == wanted.native:
            return x509.load_der_x509_certificate(certificate.dump())
    raise TimestampError("The time-stamp does not carry its signer's certificate.")
