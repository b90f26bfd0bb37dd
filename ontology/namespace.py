"""Closed namespaces for the budgetkg vocabulary. GENERATED: do not edit.

Regenerate with `python -m budgetkg.ontology.generate_namespace` after editing budgetkg.ttl;
tests/test_ontology.py checks that this file is up to date.
"""

from rdflib.namespace import DefinedNamespace, Namespace
from rdflib.term import URIRef


class BK(DefinedNamespace):
    """The budgetkg vocabulary (ontology/budgetkg.ttl)."""

    _fail = True
    _NS = Namespace("https://budgetkg.org/ontology#")

    # classes
    BudgetProject: URIRef  # budget project / 预算项目
    Citation: URIRef  # citation / 引用
    Disclosure: URIRef  # budget disclosure / 预算公开文件
    FundsAmount: URIRef  # project funds / 项目资金
    KpiTarget: URIRef  # performance indicator target / 绩效指标目标
    MonetaryAmount: URIRef  # monetary amount / 金额
    MoneyUnit: URIRef  # money unit / 货币单位
    SourceSpan: URIRef  # source span / 来源位置
    TableKind: URIRef  # table kind / 表格类型
    TargetColumn: URIRef  # target column / 目标列

    # properties
    adminLevel: URIRef  # administrative level / 行政级别
    amount: URIRef  # amount / 金额
    amountText: URIRef  # amount as given / 金额原文
    annualFunds: URIRef  # annual funds / 年度资金
    annualGoalText: URIRef  # annual goal / 年度目标
    beingWritten: URIRef  # being written / 写入中
    budgetCode: URIRef  # budget unit code / 预算单位代码
    budgetItem: URIRef  # budget item / 报表科目
    budgetLineName: URIRef  # budget line name / 项目名称
    budgetLineTable: URIRef  # this year or carried over / 本年或上年结转
    budgetLineUnit: URIRef  # unit name / 单位名称
    budgetYear: URIRef  # budget year / 预算年度
    citation: URIRef  # citation / 引用
    citedNumber: URIRef  # document number as cited / 引用文号
    citedPolicy: URIRef  # cited policy / 被引文件
    citedTitle: URIRef  # title as cited / 引用标题
    column: URIRef  # target column / 目标列
    comparator: URIRef  # comparator / 比较符
    contactPerson: URIRef  # contact person / 经办人
    contactPhone: URIRef  # contact phone / 联系电话
    currency: URIRef  # currency / 币种
    documentType: URIRef  # document type / 文种
    encoding: URIRef  # character encoding / 字符编码
    endLine: URIRef  # last line / 结束行
    expenditureType: URIRef  # expenditure type / 支出类型
    flagged: URIRef  # flagged / 未能解析
    functionClass: URIRef  # function class / 功能分类科目
    fundingSource: URIRef  # funding source / 资金来源
    goalText: URIRef  # overall goal / 总体目标
    hasImplementingRule: URIRef  # has implementing rule / 实施制度
    hasLegalBasis: URIRef  # has legal basis / 立项依据
    implementingUnit: URIRef  # implementing unit / 实施单位
    indicator: URIRef  # level-3 indicator / 三级指标
    issuerCode: URIRef  # issuer code / 机关代字
    kpi: URIRef  # performance indicator / 绩效指标
    layoutFamily: URIRef  # layout family / 版式
    legalBasisText: URIRef  # legal basis (text) / 立项依据
    level1Indicator: URIRef  # level-1 indicator / 一级指标
    level2Indicator: URIRef  # level-2 indicator / 二级指标
    line: URIRef  # first line / 起始行
    measuresText: URIRef  # implementation rules and measures / 保证项目实施的制度、措施
    mentionsPolicy: URIRef  # mentions policy / 提及文件
    multiplier: URIRef  # multiplier / 倍数
    necessityText: URIRef  # necessity / 项目设立必要性
    overviewText: URIRef  # project overview / 项目概况
    periodFunds: URIRef  # implementation-period funds / 实施期资金
    periodGoalText: URIRef  # implementation-period goal / 实施期目标
    planText: URIRef  # implementation plan / 项目实施计划
    projectAttribute: URIRef  # project attribute / 项目属性
    projectPeriod: URIRef  # project period / 项目期
    rawText: URIRef  # raw text / 原文
    refersToPolicy: URIRef  # refers to policy / 涉及文件
    relation: URIRef  # relation / 引用关系
    sha256: URIRef  # SHA-256 digest / SHA-256 校验值
    sourceFile: URIRef  # source file / 来源文件
    supervisingCode: URIRef  # supervising department code / 主管部门代码
    supervisingDepartment: URIRef  # supervising department / 主管部门
    table: URIRef  # table / 所在表格
    targetDeadline: URIRef  # deadline / 完成时限
    targetNumber: URIRef  # target number / 目标数值
    targetScale: URIRef  # scale / 量级
    targetText: URIRef  # target as printed / 指标值原文
    targetUnit: URIRef  # unit / 计量单位
    targetUpper: URIRef  # range upper bound / 区间上限
    tripleCount: URIRef  # triple count / 三元组数
    truncated: URIRef  # truncated / 截断
    valueKind: URIRef  # target kind / 指标值类型

    # individuals
    AllSources: URIRef  # all sources / 资金总额
    AnnualColumn: URIRef  # budget year / 年度
    BudgetItems: URIRef  # budget table items / 预算报表科目
    BudgetTotals: URIRef  # budget summary figures / 预算报表汇总数
    Carryover: URIRef  # carried over from last year / 上年结转
    CarryoverProjects: URIRef  # projects carried over / 上年结转项目支出
    CentralFunds: URIRef  # central government funds / 中央补助
    CityCountyFunds: URIRef  # city and county funds / 市县资金
    CurrentYearProjects: URIRef  # projects of the year / 本年项目支出
    # department-wide performance target table / 部门整体支出绩效目标表
    DepartmentPerformanceTable: URIRef
    ExpenditureBasic: URIRef  # basic expenditure / 基本支出
    # structure of the expenditure summary by function / 预算支出总表结构
    ExpenditureByFunctionStructure: URIRef
    ExpenditureByFunctionTable: URIRef  # expenditure summary by function / 预算支出总表
    ExpenditureProject: URIRef  # project expenditure / 项目支出
    ExpenditureTotal: URIRef  # total expenditure / 支出合计
    FunctionClassification: URIRef  # functional classification of expenditure / 支出功能分类科目
    FundingSources: URIRef  # funding sources / 资金来源
    IncomeThisYear: URIRef  # income of the year / 本年收入合计
    IncomeTotal: URIRef  # total income / 收入总计
    Level1Indicators: URIRef  # level-1 indicators / 一级指标
    Level2Indicators: URIRef  # level-2 indicators / 二级指标
    Level3Indicators: URIRef  # level-3 indicators / 三级指标
    OfficeOperation: URIRef  # office operation / 机关运行经费
    OfficialReception: URIRef  # official reception / 公务接待费
    OtherFunds: URIRef  # other funds / 其他资金
    Overseas: URIRef  # official travel abroad / 因公出国（境）费
    PerformanceTable: URIRef  # project performance target table / 项目支出绩效目标表
    PeriodColumn: URIRef  # implementation period / 实施期
    ProcurementTotal: URIRef  # government procurement budget / 政府采购预算总额
    # structure of the project expenditure budget / 项目支出预算表结构
    ProjectBudgetStructure: URIRef
    ProjectBudgetTable: URIRef  # project expenditure budget table / 项目支出预算表
    ProvincialFunds: URIRef  # provincial funds / 省级资金
    SelfRaisedFunds: URIRef  # self-raised funds / 单位自筹
    ThreePublic: URIRef  # “three public” expenses / “三公”经费合计
    TotalsStructure: URIRef  # structure of the budget totals / 预算汇总数结构
    Vehicle: URIRef  # official vehicles / 公务用车购置及运行费
    WanYuan: URIRef  # ten thousand yuan / 万元
    Yuan: URIRef  # yuan / 元


class ELI(DefinedNamespace):
    """The ELI terms budgetkg uses."""

    _fail = True
    _NS = Namespace("http://data.europa.eu/eli/ontology#")

    # classes
    LegalResource: URIRef  # legal resource / 政策文件

    # properties
    based_on: URIRef  # based on / 依据
    cites: URIRef  # cites / 引用
    id_local: URIRef  # local identifier / 发文字号
    passed_by: URIRef  # passed by / 发文机关
    title: URIRef  # title / 标题
    title_alternative: URIRef  # alternative title / 别名


class SDMXA(DefinedNamespace):
    """The SDMX attributes budgetkg uses."""

    _fail = True
    _NS = Namespace("http://purl.org/linked-data/sdmx/2009/attribute#")

    # properties
    unitMeasure: URIRef  # unit of measure / 计量单位


def _materialize(*namespaces: type[DefinedNamespace]) -> None:
    for ns in namespaces:
        for name in ns.__annotations__:
            type.__setattr__(ns, name, ns._NS[name])


_materialize(BK, ELI, SDMXA)
