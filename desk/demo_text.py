"""Sample content for demo stores: customers, shops and complaints in three languages.

This is demo data, not interface text, so it is not translated through the catalogs.
"""
from __future__ import annotations

SURNAMES_TW = "陳林黃張李王吳劉蔡楊許鄭謝郭洪曾邱廖賴周"
GIVEN_TW = ["怡君", "雅婷", "志明", "淑芬", "建宏", "美玲", "俊傑", "欣怡", "家豪", "佳穎",
            "宗翰", "雅雯", "冠宇", "詩涵", "承恩"]
SURNAMES_CN = "王李张刘陈杨赵黄周吴"
GIVEN_CN = ["伟", "芳", "娜", "敏", "静", "磊", "洋", "艳", "勇", "军"]
NAMES_EN = ["Emily Chen", "James Wong", "Sarah Lee", "Daniel Ho", "Grace Lin", "Michael Tan",
            "Olivia Cheung", "Ryan Liu"]

TENANTS = ["好鞋坊", "晨光咖啡", "綠野家居", "星辰眼鏡", "小確幸甜點", "森林書店", "極速3C",
           "悅容美妝", "快樂童裝", "大眾影城", "明亮寢具", "山海餐廳"]

# (category, subject kind, {locale: (complaint, request)}, motive, severity)
COMPLAINTS = [
    ("goods_rights", "tenant", {
        "zh_TW": ("在{shop}買的鞋子穿不到一週鞋底就開膠,店員說只能送修。",
                  "希望直接換一雙新的。"),
        "zh_CN": ("在{shop}买的鞋子穿了不到一周鞋底就开胶,店员说只能送修。", "希望直接换一双新的。"),
        "en": ("The shoes I bought at {shop} came apart within a week and the shop will only "
               "send them for repair.", "I want a new pair."),
    }, "compensation", 1),
    ("service_attitude", "tenant", {
        "zh_TW": ("{shop}的店員結帳時態度很差,還對我翻白眼。", "希望店家道歉並改善。"),
        "zh_CN": ("{shop}的店员结账时态度很差,还对我翻白眼。", "希望店家道歉并改进。"),
        "en": ("The cashier at {shop} was rude and rolled her eyes at me.",
               "An apology and better service."),
    }, "respect", 1),
    ("facility", "facility", {
        "zh_TW": ("B2停車場電梯故障,推著嬰兒車等了二十分鐘沒人處理。", "盡快修好,並給個說法。"),
        "zh_CN": ("B2停车场电梯故障,推着婴儿车等了二十分钟没人处理。", "尽快修好,并给个说法。"),
        "en": ("The B2 car park lift was broken; I waited 20 minutes with a pram and nobody "
               "came.", "Fix it and explain what happened."),
    }, "vent", 2),
    ("campaign", "campaign", {
        "zh_TW": ("滿千送百活動的贈品已經發完,但海報沒有註明數量有限。", "要拿到贈品或等值禮券。"),
        "zh_CN": ("满千送百活动的赠品已经发完,但海报没有注明数量有限。", "要拿到赠品或等值礼券。"),
        "en": ("The spend-and-get gift ran out but the poster never said stock was limited.",
               "The gift or a voucher of the same value."),
    }, "compensation", 1),
    ("overcharge", "charge", {
        "zh_TW": ("{shop}結帳時同一件商品被刷了兩次,多收了錢。", "退還多收的金額。"),
        "zh_CN": ("{shop}结账时同一件商品被刷了两次,多收了钱。", "退还多收的金额。"),
        "en": ("{shop} scanned the same item twice and overcharged me.", "Refund the overcharge."),
    }, "compensation", 2),
    ("lost_property", "facility", {
        "zh_TW": ("在美食街用餐時放在椅背的外套不見了,現場沒有監視器。", "希望商場協助找回或賠償。"),
        "zh_CN": ("在美食街用餐时放在椅背的外套不见了,现场没有监控。", "希望商场协助找回或赔偿。"),
        "en": ("My coat disappeared from my chair in the food court; there is no camera there.",
               "Help me find it or pay for it."),
    }, "compensation", 2),
    ("tenant", "tenant", {
        "zh_TW": ("{shop}的會員點數沒有入帳,店家叫我找服務台。", "把點數補回來。"),
        "zh_CN": ("{shop}的会员积分没有到账,店家叫我找服务台。", "把积分补回来。"),
        "en": ("My loyalty points from {shop} were never credited and the shop sent me here.",
               "Credit the points."),
    }, "compensation", 1),
    ("safety_legal", "facility", {
        "zh_TW": ("一樓大廳地板濕滑沒有警示牌,我母親滑倒扭傷腳踝。", "負擔醫藥費並改善。"),
        "zh_CN": ("一楼大厅地板湿滑没有警示牌,我母亲滑倒扭伤脚踝。", "承担医药费并改进。"),
        "en": ("The lobby floor was wet with no warning sign and my mother slipped and sprained "
               "her ankle.", "Pay the medical bills and fix it."),
    }, "compensation", 3),
]

# Each demo complaint's two classifications (content, degree), by its category.
CLASSES = {"goods_rights": ("quality", "critical"), "service_attitude": ("service", "critical"),
           "facility": ("function", "critical"), "campaign": ("service", "critical"),
           "overcharge": ("price", "critical"), "lost_property": ("service", "critical"),
           "tenant": ("service", "critical"), "safety_legal": ("quality", "critical")}

RESULTS = {
    "zh_TW": "已向顧客說明並依規定處理,顧客表示接受。",
    "zh_CN": "已向顾客说明并按规定处理,顾客表示接受。",
    "en": "Explained to the customer and handled as the policy allows; the customer accepted.",
}

STEP_NOTES = {
    "zh_TW": ["顧客情緒激動,先請坐下並奉茶。", "已複述問題,顧客確認無誤。", "", ""],
    "zh_CN": ["顾客情绪激动,先请坐下并奉茶。", "已复述问题,顾客确认无误。", "", ""],
    "en": ["Customer was upset; offered a seat and water.", "Restated the problem; confirmed.", "", ""],
}
