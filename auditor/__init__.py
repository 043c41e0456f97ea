"""ogi-auditor: audits 政府信息公开工作年度报告 against the law and the national report format."""

__version__ = "0.1.0"
