import pytest

from facturier.webhooks.callbacks import RefusedCallback, check_callback_url


@pytest.fixture
def public_only(settings):
    settings.WEBHOOKS_ALLOW_PRIVATE_CALLBACKS = False


@pytest.mark.usefixtures("public_only")
@pytest.mark.parametrize("url", [
    "http://93.184.215.14/hook",  # plain http
    "https://127.0.0.1/hook",
    "https://10.1.2.3/hook",
    "https://192.168.0.10:8443/hook",
    "https://169.254.169.254/latest/meta-data",  # a cloud metadata service
    "https://[::1]/hook",
    "https://[fd00::1]/hook",
    "https://100.64.0.1/hook",  # carrier-grade NAT
    "https://localhost/hook",  # a name resolving to the loopback
    "https://user:secret@93.184.215.14/hook",
    "https://93.184.215.14:99999/hook",
    "ftp://93.184.215.14/hook",
    "https:///hook",
    "/relative/hook",
    "",
    None,
    12,
])
def test_refused_in_production(url):
    with pytest.raises(RefusedCallback):
        check_callback_url(url)


@pytest.mark.usefixtures("public_only")
def test_https_to_a_public_address_is_accepted():
    assert check_callback_url("https://93.184.215.14:8443/erp/hook?x=1") == "https://93.184.215.14:8443/erp/hook?x=1"


def test_the_setting_allows_http_and_private_receivers(settings):
    settings.WEBHOOKS_ALLOW_PRIVATE_CALLBACKS = True
    assert check_callback_url("http://127.0.0.1:8123/hook")
    with pytest.raises(RefusedCallback):
        check_callback_url("gopher://127.0.0.1/hook")
