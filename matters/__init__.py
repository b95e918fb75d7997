"""The service-matter catalogue (政务服务事项目录) and its guides (办事指南)."""
