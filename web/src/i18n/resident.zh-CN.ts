/** The resident page: where the code went, the e-insurance QR, the plain explanation of a bill (简体中文). */
export const residentZhCN = {
  "me.codeSentTo": "验证码已发送至 {phone}",
  "me.noPhone": "您没有登记手机号，无法接收验证码：请到医保服务站办理",
  "me.qrTitle": "电子医保凭证",
  "me.qrHint": "就医时出示此码，医院扫码即可识别您的身份",
  "me.qrShow": "显示电子医保凭证",
  "me.quoteYear": "政策年度 {year}",
  "plain.title": "这笔费用怎么分担",
  "plain.total": "费用共 {amount}。",
  "plain.excluded": "其中 {amount} 不在医保支付范围内（目录外的药品、检查和服务，以及政策规定的自费部分），由您全额自付。",
  "plain.nothingExcluded": "全部费用都在医保支付范围内。",
  "plain.deductible": "起付线 {amount}：医保只报销超过起付线的部分，这部分由您自付。",
  "plain.share": "在支付范围内，按政策比例由您承担 {amount}。",
  "plain.aboveCap": "{amount} 超过了基金的年度最高支付限额，基金不再支付。",
  "plain.funds": "基本医保、大病保险和医疗救助等基金共支付 {amount}。",
  "plain.youPay": "您一共自付 {amount}。",
} as const;
