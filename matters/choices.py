"""Code lists of the catalogue (DOMAIN §2.3). DB values are the national codes where there are some."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RegionLevel(models.TextChoices):
    PROVINCE = "PROVINCE", _("省级")
    CITY = "CITY", _("市级")
    COUNTY = "COUNTY", _("县级")
    TOWN = "TOWN", _("乡镇（街道）级")
    VILLAGE = "VILLAGE", _("村（社区）级")


class Audience(models.TextChoices):
    PERSON = "PERSON", _("个人")
    LEGAL = "LEGAL", _("法人")


class DepartmentKind(models.TextChoices):  # A.3 实施主体性质
    STATUTORY = "1", _("法定机关")
    AUTHORISED = "2", _("授权组织")
    ENTRUSTED = "3", _("受委托组织")
    OTHER = "9", _("其他")


class MatterStatus(models.TextChoices):
    DRAFT = "DRAFT", _("未发布")  # never published yet
    IN_USE = "IN_USE", _("在用")
    RETIRED = "RETIRED", _("已停用")


class VersionStatus(models.TextChoices):
    DRAFT = "DRAFT", _("草稿")
    PUBLISHED = "PUBLISHED", _("已发布")


class MatterType(models.TextChoices):  # A.1 事项类型
    POWER = "00", _("行政权力事项")
    LICENSING = "01", _("行政许可")
    PENALTY = "02", _("行政处罚")
    COMPULSION = "03", _("行政强制")
    LEVY = "04", _("行政征收")
    PAYMENT = "05", _("行政给付")
    INSPECTION = "06", _("行政检查")
    CONFIRMATION = "07", _("行政确认")
    REWARD = "08", _("行政奖励")
    ADJUDICATION = "09", _("行政裁决")
    OTHER_POWER = "10", _("其他行政权力")
    FILING = "11", _("行政备案")
    PUBLIC_SERVICE = "20", _("公共服务")


# Only matters applied for by citizens and companies can be published as applyable (DOMAIN §2.3.1).
APPLYABLE_MATTER_TYPES = frozenset({"01", "05", "07", "08", "09", "10", "11", "20"})


class ExerciseLevel(models.TextChoices):  # A.2 行使层级
    NATIONAL = "1", _("国家级")
    PROVINCIAL = "2", _("省级")
    CITY = "3", _("市级")
    COUNTY = "4", _("县级")
    TOWN = "5", _("镇（乡、街道）级")
    VILLAGE = "6", _("村（社区）级")
    GRADED = "7", _("分级管理")


class ServiceObject(models.TextChoices):  # A.4 服务对象
    NATURAL_PERSON = "1", _("自然人")
    ENTERPRISE = "2", _("企业法人")
    PUBLIC_INSTITUTION = "3", _("事业法人")
    SOCIAL_ORGANISATION = "4", _("社会组织法人")
    ADMINISTRATIVE_ORGAN = "5", _("行政机关")
    OTHER_ORGANISATION = "6", _("其他组织")


class HandlingForm(models.TextChoices):  # A.5 办理形式
    WINDOW = "1", _("窗口办理")
    ONLINE_PC = "2", _("电脑端网上办理")
    ONLINE_MOBILE = "3", _("移动端网上申请")
    EXPRESS = "4", _("快递申请")
    OTHER = "9", _("其他")


class CaseType(models.TextChoices):  # A.6 办件类型
    IMMEDIATE = "1", _("即办件")
    PROMISED = "2", _("承诺件")
    OTHER = "9", _("其他")


class JointMode(models.TextChoices):
    NONE = "NONE", _("单独办理")
    JOINT = "JOINT", _("联办件")
    REPORT = "REPORT", _("上报件")


class TimeUnit(models.TextChoices):
    WORKING_DAYS = "WD", _("工作日")
    CALENDAR_DAYS = "CD", _("自然日")


class HandleArea(models.TextChoices):  # 通办范围
    NONE = "", _("不通办")
    NATION = "NATION", _("全国通办")
    CROSS_PROVINCE = "CROSS_PROVINCE", _("跨省通办")
    CROSS_CITY = "CROSS_CITY", _("跨市通办")
    CROSS_COUNTY = "CROSS_COUNTY", _("跨县通办")


class OnlineDepth(models.TextChoices):  # 网上办理深度
    NONE = "", _("不支持网办")
    INFORMATION = "1", _("一级：信息公开")
    DOWNLOAD = "2", _("二级：表格下载")
    ONLINE_APPLY = "3", _("三级：网上预审")
    FULLY_ONLINE = "4", _("四级：全程网办")


class ResultType(models.TextChoices):  # 审批结果类型 (行政许可法第39条)
    LICENCE = "LICENCE", _("许可证、执照或其他许可证书")
    QUALIFICATION = "QUALIFICATION", _("资格证、资质证或其他合格证书")
    APPROVAL = "APPROVAL", _("批准文件")
    PROOF = "PROOF", _("证明文件")
    STAMP = "STAMP", _("加贴标签、加盖印章")
    OTHER = "OTHER", _("其他")


class MaterialType(models.TextChoices):  # 材料类型
    ORIGINAL = "1", _("原件")
    COPY = "2", _("复印件")
    EITHER = "3", _("原件或复印件")


class MaterialForm(models.TextChoices):  # 材料形式
    PAPER = "1", _("纸质")
    ELECTRONIC = "2", _("电子")
    BOTH = "3", _("纸质或电子")


class Necessity(models.TextChoices):  # 材料必要性
    REQUIRED = "1", _("必要")
    OPTIONAL = "2", _("非必要")
    DEFICIENCY_ALLOWED = "3", _("容缺后补")


class MaterialSource(models.TextChoices):  # 来源渠道
    APPLICANT = "10", _("申请人自备")
    GOVERNMENT = "20", _("政府部门核发")
    INTERMEDIARY = "30", _("中介机构出具")
    OTHER = "99", _("其他")


class StepKind(models.TextChoices):
    """What a 办理环节 does in the workflow: the intake step, review steps, the decision, delivery."""

    INTAKE = "INTAKE", _("受理")
    REVIEW = "REVIEW", _("审查")
    DECISION = "DECISION", _("决定")
    DELIVERY = "DELIVERY", _("送达")


class FieldType(models.TextChoices):
    """The kinds of question an application form can ask."""

    TEXT = "TEXT", _("文本")
    NUMBER = "NUMBER", _("数字")
    DATE = "DATE", _("日期")
    CHOICE = "CHOICE", _("单选")
    ID_NUMBER = "ID_NUMBER", _("公民身份号码")
    MOBILE = "MOBILE", _("手机号码")
    ADDRESS = "ADDRESS", _("地址")
    FILE = "FILE", _("文件")


class Prefill(models.TextChoices):
    """Identity data the portal already knows and fills into a form field."""

    NONE = "", _("不预填")
    NAME = "NAME", _("申请人姓名")
    ID_NUMBER = "ID_NUMBER", _("申请人证件号码")
    MOBILE = "MOBILE", _("申请人手机号码")


class BundleOrder(models.TextChoices):
    """How the cases of a 一件事 run: all at once (并联), or some after others they depend on."""

    PARALLEL = "PARALLEL", _("并联办理")
    DEPENDENCIES = "DEPENDENCIES", _("按前置关系办理")
