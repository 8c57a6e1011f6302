"""Settings from the environment are read as their type; a bad one stops start-up."""

import pytest

from eventhub import create_app
from eventhub.config import ConfigError


def _app_from_env(monkeypatch, tmp_path, test_config, **env):
    monkeypatch.setattr("eventhub.ROOT", tmp_path)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    overrides = {k: v for k, v in test_config.items() if k not in env}
    return create_app(overrides)


@pytest.mark.parametrize("text", ["0", "false", "no", "off", "False", " NO "])
def test_false_words_turn_a_boolean_off(monkeypatch, tmp_path, test_config, text):
    app = _app_from_env(monkeypatch, tmp_path, test_config, MAIL_USE_TLS=text)
    assert app.config["MAIL_USE_TLS"] is False


@pytest.mark.parametrize("text", ["1", "true", "yes", "on"])
def test_true_words_turn_a_boolean_on(monkeypatch, tmp_path, test_config, text):
    app = _app_from_env(monkeypatch, tmp_path, test_config, MAIL_USE_TLS=text)
    assert app.config["MAIL_USE_TLS"] is True


def test_numbers_are_parsed_plain_and_prefixed(monkeypatch, tmp_path, test_config):
    app = _app_from_env(monkeypatch, tmp_path, test_config, MAIL_PORT="2587",
                        EVENTHUB_MAIL_RETRY_DELAY="1.5", EVENTHUB_PROXY_FIX="2",
                        EVENTHUB_RATELIMIT_ENABLED="no")
    assert app.config["MAIL_PORT"] == 2587
    assert app.config["MAIL_RETRY_DELAY"] == 1.5
    assert app.config["PROXY_FIX"] == 2
    assert app.config["RATELIMIT_ENABLED"] is False


def test_text_settings_stay_text(monkeypatch, tmp_path, test_config):
    app = _app_from_env(monkeypatch, tmp_path, test_config, MAIL_PASSWORD="0123",
                        MAIL_DEFAULT_SENDER="Aubrac <no@aubrac.example>")
    assert app.config["MAIL_PASSWORD"] == "0123"
    assert app.config["MAIL_DEFAULT_SENDER"] == "Aubrac <no@aubrac.example>"


@pytest.mark.parametrize(("name", "value"), [
    ("MAIL_PORT", "twenty-five"),
    ("MAIL_USE_TLS", "maybe"),
    ("EVENTHUB_REGISTRATION_LIVE_INTERVAL", "soon"),
])
def test_an_unreadable_value_stops_start_up_naming_the_setting(monkeypatch, tmp_path,
                                                               test_config, name, value):
    with pytest.raises(ConfigError) as caught:
        _app_from_env(monkeypatch, tmp_path, test_config, **{name: value})
    assert name.removeprefix("EVENTHUB_") in str(caught.value)
    assert value in str(caught.value)


def test_operator_switches_are_read_without_the_prefix(monkeypatch, tmp_path, test_config):
    app = _app_from_env(monkeypatch, tmp_path, test_config, LOG_JSON="yes",
                        MAIL_SENDER_THREAD="off")
    assert app.config["LOG_JSON"] is True
    assert app.config["MAIL_SENDER_THREAD"] is False
