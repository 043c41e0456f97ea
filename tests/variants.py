"""Turn a report's plain text into the other forms it reaches us in (test fixture builders).

* :func:`to_docx` — a Word file, one paragraph per line, numbered headings in Heading styles;
* :func:`to_gbk_html` — a government web page encoded as GBK but declaring ``charset=gb2312``
  (as such sites do), with realistic chrome around the body: menu, breadcrumb, metadata block,
  search box, font-size/print/close/share bar and a footer with 主办单位 / 版权所有 / ICP备;
* :func:`to_encoded_text` — the text as bytes in a legacy encoding (GBK, Big5).

Characters the target encoding lacks are written as HTML character references in pages and
replaced in plain text; :func:`as_encoded` gives the text those bytes really carry.
"""

from __future__ import annotations

import html
import io

import regex

HEADING_1 = regex.compile(r"^\s*[一二三四五六七八九十]+、")
HEADING_2 = regex.compile(r"^\s*[（(][一二三四五六七八九十]+[）)]")


def to_docx(text: str) -> bytes:
    """A .docx with one paragraph per non-empty line; 一、 → Heading 1, （一） → Heading 2."""
    import docx

    document = docx.Document()
    for line in text.splitlines():
        if not line.strip():
            continue
        if HEADING_1.match(line):
            document.add_paragraph(line.strip(), style="Heading 1")
        elif HEADING_2.match(line):
            document.add_paragraph(line.strip(), style="Heading 2")
        else:
            document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def to_gbk_html(text: str, title: str, layout: str = "div") -> bytes:
    """A GBK page declaring gb2312 with the body inside site chrome.

    ``layout="div"`` puts the body in ``<div id="zoom">`` (a CMS content root);
    ``layout="table"`` is an old table-layout county page with no content-root marker.
    """
    body = "\n".join(_paragraph(line) for line in text.splitlines() if line.strip())
    esc = html.escape(title)
    menu = "".join(
        f'<li><a href="/col{i}/">{name}</a></li>'
        for i, name in enumerate(
            ["首页", "政务公开", "政务服务", "互动交流", "走进本市", "专题专栏"]
        )
    )
    crumb = (
        '当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; '
        '<a href="/zwgk/nb/">政府信息公开年报</a>'
    )
    meta_block = (
        '<table class="xxgk-meta"><tr><td>索引号：</td><td>11350100MB0000000X/2024-00012</td>'
        "<td>发布机构：</td><td>市政务服务中心</td></tr>"
        "<tr><td>成文日期：</td><td>2024-01-20</td><td>发布日期：</td><td>2024-01-26</td></tr>"
        f'<tr><td>标题：</td><td colspan="3">{esc}</td></tr></table>'
    )
    tools = (
        '<div class="tools">【字号：<a href="#">大</a> <a href="#">中</a> <a href="#">小</a>】'
        '<a href="javascript:window.print()">【打印】</a>'
        '<a href="javascript:window.close()">【关闭】</a> 分享到：微信 微博</div>'
    )
    footer = (
        "<p>主办单位：某市人民政府办公室　承办单位：某市大数据中心</p>"
        "<p>版权所有：某市人民政府　网站标识码：3501000001　闽ICP备05012345号　"
        "闽公网安备 35010202000123号</p><p>联系电话：0591-12345678　技术支持：某某科技</p>"
    )
    search = (
        '<form action="/search"><input name="q" value="请输入关键字"/><button>搜索</button></form>'
    )
    if layout == "table":
        page = (
            f'<table width="980"><tr><td><img src="/logo.gif" alt="县政府"/>{search}</td></tr>'
            f"<tr><td><ul>{menu}</ul></td></tr><tr><td>{crumb}</td></tr>"
            f'<tr><td><table width="100%"><tr><td width="200"><ul>{menu}</ul></td>'
            f'<td><div align="center"><b>{esc}</b></div>{meta_block}{body}{tools}</td></tr></table>'
            f"</td></tr><tr><td>{footer}</td></tr></table>"
        )
    else:
        page = (
            f'<div class="header"><div class="logo">某市人民政府门户网站</div>{search}</div>'
            f'<div class="nav"><ul>{menu}</ul></div>'
            f'<div class="main"><div class="crumb">{crumb}</div>{meta_block}'
            f'<div class="article"><h1 class="article-title">{esc}</h1>'
            f'<div class="info">发布时间：2024-01-26 14:58　来源：市政务服务中心</div>'
            f'<div id="zoom">{body}</div>{tools}</div></div>'
            f'<div class="footer">{footer}</div>'
        )
    document = (
        '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN">\n'
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312" />'
        f"<title>{esc}_政府信息公开年报_某市人民政府</title>"
        '<script type="text/javascript">var nav = "<div>首页</div>"; document.write(nav);</script>'
        "<style>.nav li{float:left}</style></head>"
        f'<body onload="init()">{page}</body></html>'
    )
    return document.encode("gbk", errors="xmlcharrefreplace")


def to_encoded_text(text: str, encoding: str) -> bytes:
    """The text in a legacy encoding; characters it lacks become "?"."""
    return text.encode(encoding, errors="replace")


def as_encoded(text: str, encoding: str) -> str:
    """The text as :func:`to_encoded_text` bytes carry it."""
    return to_encoded_text(text, encoding).decode(encoding)


def _paragraph(line: str) -> str:
    esc = html.escape(line.strip())
    if HEADING_1.match(line):
        return f"<p><strong>{esc}</strong></p>"
    return f'<p style="text-indent: 2em;">{esc}</p>'
