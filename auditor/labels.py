"""Chinese labels for codes shown to users, shared by the engine and every renderer."""

from __future__ import annotations

KIND_LABELS = {
    "annual_report": "政府信息公开工作年度报告",
    "self_inspection": "自查报告",
    "work_summary": "工作总结",
    "notice": "通知/函",
    "guide": "政府信息公开指南",
    "template": "空白模板",
    "other": "其他文件",
}
STATUS_LABELS = {
    "audited": "已审查",
    "not_annual_report": "不是年度报告",
    "unsupported": "不支持的格式",
    "unreadable": "无法读取",
    "no_text_layer": "无文字层",
    "error": "出错",
}
READ_STATUS_LABELS = {
    "ok": "已读取",
    "unreadable": "无法读取",
    "unsupported": "不支持的格式",
    "no_text_layer": "无文字层",
    "empty": "空文件",
    "error": "出错",
}
FINDING_LABELS = {
    "pass": "通过",
    "fail": "未通过",
    "not_applicable": "不适用",
    "blocked": "无法判断",
    "error": "检查出错",
    "waived": "已豁免",
}
SEVERITY_LABELS = {"critical": "严重", "major": "重要", "minor": "一般", "info": "提示"}
CATEGORY_LABELS = {
    "document": "文档类型",
    "structure": "结构与内容",
    "declared_parts": "声明部分数",
    "period": "统计期限",
    "fees": "收费",
    "review_litigation": "复议与诉讼",
    "deadline": "发布时限",
    "table2": "表二 主动公开",
    "table3": "表三 依申请公开",
    "table4": "表四 复议诉讼",
    "category_sum": "分项合计",
    "percentage": "百分比",
    "text_vs_table": "正文与表格一致",
    "year_consistency": "年度一致",
    "contact": "联系方式与获取途径",
    "format_version": "格式版本",
}
REGIME_LABELS = {
    "ogi-2008": "2008年条例",
    "ogi-2019": "2019年格式（试行）",
    "ogi-2021": "2021年格式",
}
ISSUER_LABELS = {"government": "人民政府", "department": "政府部门"}
GRADE_ORDER = ["优", "良", "合格", "不合格"]
