"""A time-stamping authority for tests: real RFC 3161 answers, signed by a throwaway certificate.

    with StubHTTPServer() as stub:
        tsa = TimeStampAuthority(stub)      # answers POST /tsr
        settings.ARCHIVE_TSA_URL = stub.url + "/tsr"
"""

import datetime
import hashlib

from asn1crypto import cms, tsp
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

PATH = "/tsr"
POLICY = "1.3.6.1.4.1.99999.1"


class TimeStampAuthority:
    def __init__(self, stub):
        self.key = ec.generate_private_key(ec.SECP256R1())
        self.certificate = _certificate(self.key)
        self.issued = 0
        self.refusing = False
        stub.route("POST", PATH, self.answer)

    @property
    def certificate_pem(self):
        return self.certificate.public_bytes(serialization.Encoding.PEM)

    def answer(self, query, body):
        request = tsp.TimeStampReq.load(body)
        if self.refusing:
            return 200, tsp.TimeStampResp({"status": {"status": "rejection"}}).dump()
        self.issued += 1
        info = tsp.TSTInfo({
            "version": "v1",
            "policy": POLICY,
            "message_imprint": request["message_imprint"],
            "serial_number": self.issued,
            "gen_time": datetime.datetime.now(datetime.UTC).replace(microsecond=0),
            "nonce": request["nonce"].native,
        })
        return 200, tsp.TimeStampResp({"status": {"status": "granted"}, "time_stamp_token": self._token(info)}).dump()

    def _token(self, info):
        certificate = asn1_x509.Certificate.load(self.certificate.public_bytes(serialization.Encoding.DER))
        attributes = cms.CMSAttributes([
            {"type": "content_type", "values": ["tst_info"]},
            {"type": "message_digest", "values": [hashlib.sha256(info.dump()).digest()]},
            {"type": "signing_certificate_v2", "values": [{"certs": [{"cert_hash": hashlib.sha256(
                certificate.dump()).digest()}]}]},
        ])
        signer = cms.SignerInfo({
            "version": "v1",
            "sid": {"issuer_and_serial_number": {"issuer": certificate.issuer,
                                                 "serial_number": certificate.serial_number}},
            "digest_algorithm": {"algorithm": "sha256"},
            "signed_attrs": attributes,
            "signature_algorithm": {"algorithm": "sha256_ecdsa"},
            "signature": self.key.sign(attributes.dump(), ec.ECDSA(hashes.SHA256())),
        })
        signed = cms.SignedData({
            "version": "v3",
            "digest_algorithms": [{"algorithm": "sha256"}],
            "encap_content_info": {"content_type": "tst_info", "content": info},
            "certificates": [certificate],
            "signer_infos": [signer],
        })
        return cms.ContentInfo({"content_type": "signed_data", "content": signed})


def _certificate(key):
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Facturier test TSA")])
    now = datetime.datetime.now(datetime.UTC)
    return (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
        .sign(key, hashes.SHA256())
    )
