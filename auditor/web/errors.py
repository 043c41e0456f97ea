"""Errors the web service answers with: an HTTP status, a code and a plain Chinese message."""

from __future__ import annotations

from pydantic import BaseModel

STATUS_MESSAGES = {
    400: "请求格式不正确",
    404: "没有这个页面",
    405: "不支持这种请求方式",
    413: "上传的内容太大",
    415: "不支持的文件格式",
    422: "请求内容无法处理",
    500: "服务器内部错误，请稍后再试",
    503: "服务器繁忙，请稍后再试",
    504: "审查超时",
}


class WebError(Exception):
    """A request that cannot be served; ``message`` is shown to the user as is."""

    def __init__(self, status: int, message: str, code: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.code = code
        self.form: dict[str, str] = {}  # submitted text fields, to refill the upload form


class ErrorBody(BaseModel):
    """The JSON body of every API error."""

    detail: str  # plain Chinese message
    code: str  # machine-readable reason, e.g. "too_large", "unsupported", "timeout"


def status_message(status: int) -> str:
    """A Chinese message for an HTTP status that carries no message of ours."""
    return STATUS_MESSAGES.get(status, "请求无法处理")
