/** The bill's step: how the compliant amount came about, line by line, for staff and in plain words for the resident (Tibetan). */
import type { billStepZhCN } from './bill-step.zh-CN.ts';

export const billStepBo: Record<keyof typeof billStepZhCN, string> = {
  "fund.bill": "སྲིད་ཇུས་ཁྱབ་ཁོངས་ཀྱི་འགྲོ་སོང་།",
  "rule.bill.itemised": "གསོ་བཅོས་འགན་ལེན་དཀར་ཆག་ལྟར་རེ་རེ་བཞིན་ཞིབ་བཤེར་བྱས། འགྲོ་སོང་ཞིབ་ཐོ་ {lines} ཡོད་པའི་ཁྱབ་ཁོངས་ཀྱི་ཆ་བསྡོམས་ {amount}",
  "rule.bill.unverified": "ཞིབ་བཤེར་མ་བྱས། ཁྱབ་ཁོངས་ཀྱི་འགྲོ་སོང་ནི་སྨན་ཁང་གིས་སྙན་ཞུ་བྱས་པ་ལྟར་ཡིན། (འགྲོ་སོང་ཞིབ་ཐོ་མ་བཏང་།)",
  "billStep.lineOf": "{quantity} × རིན་གོང་ {unitPrice} = {amount}",
  "error.BILL_STEP_MISMATCH": "འགྲོ་སོང་གི་འགྲེལ་བཤད་དང་རྩིས་སྒྲིག་བྱེད་པའི་འགྲོ་སོང་མི་མཐུན།",
  "billStep.count": "ཞིབ་ཐོ་ {n}",
  "billStep.aboveCap": "རིན་ཚད་ {cap} ལས་བརྒལ་བའི་ཆ་ {amount} ནད་པས་རང་སྤྲོད།",
  "billStep.classC": "རིམ་པ་གསུམ་པ། {amount} ཆ་ཚང་ནད་པས་རང་སྤྲོད།",
  "billStep.classB": "རིམ་པ་གཉིས་པ། སྔོན་ལ་རང་སྤྲོད་ {ratio}། {amount}",
  "billStep.compliant": "ཁྱབ་ཁོངས་ {amount}",
  "billStep.unmet.level": "རིམ་པ་ {min} དང་དེ་ལས་མཐོ་བའི་སྨན་ཁང་ཁོ་ནར། (སྨན་ཁང་འདི་རིམ་པ་ {level})",
  "billStep.unmet.sex.F": "བུད་མེད་ཁོ་ནར།",
  "billStep.unmet.sex.M": "སྐྱེས་པ་ཁོ་ནར།",
  "billStep.unmet.age": "ལོ་ {min} ནས་ {max} བར། (ནད་པ་ལོ་ {age})",
  "billStep.unmet.diagnosis": "ནད་ངོས་འཛིན་ {codes} ཁོ་ནར། (ཐེངས་འདིའི་ནད་ངོས་འཛིན་ {diagnosis})",
  "billStep.unmet.quantity": "ཚད་ {allowed} ལས་མི་བརྒལ། ({billed} བཀོད།)",
  "billStep.unmet.note": "ཆ་རྐྱེན་ཚང་མེད། མ་དངུལ་གྱིས་གོང་གསལ་ལྟར་སྤྲོད་ཅིང་། རིག་ནུས་ཞིབ་བཤེར་ལ་བསྐུར་ཟིན། གསོ་བཅོས་འགན་ལེན་ཅུས་དང་སྨན་ཁང་བར་རྩིས་སྒྲིག་བྱེད།",
  "billStep.others": "ཞིབ་ཐོ་གཞན་ {lines} (རྣམ་གྲངས་ {groups})། འགྲོ་སོང་ {amount} ཁྱབ་ཁོངས་ {compliant}",
  "plain.why.title": "སྲིད་ཇུས་ཀྱིས་མི་སྤྲོད་པའི་ཆ་དང་དེའི་རྒྱུ་མཚན།",
  "plain.why.classC": "{name}། {amount} ནི་རིམ་པ་གསུམ་པ་ཡིན། (འགན་ལེན་དཀར་ཆག་ཕྱི་ལོགས།) ཁྱེད་ཀྱིས་ཆ་ཚང་སྤྲོད་དགོས།",
  "plain.why.aboveCap": "{name}། རིན་གོང་འགན་ལེན་གྱི་རིན་ཚད་ {cap} ལས་བརྒལ་བས་བརྒལ་ཆ་ {amount} ཁྱེད་ཀྱིས་སྤྲོད་དགོས།",
  "plain.why.classB": "{name}། རིམ་པ་གཉིས་པ་ཡིན་པས་སྲིད་ཇུས་ལྟར་ཁྱེད་ཀྱིས་སྔོན་ལ་ {ratio} སྟེ་ {amount} སྤྲོད་དགོས།",
  "plain.why.others": "ཞིབ་ཐོ་གཞན་ནང་ཁྱེད་ཀྱིས་སྤྲོད་དགོས་པའི་ཆ། {amount}",
  "plain.why.unverified": "སྨན་ཁང་གིས་འགྲོ་སོང་ཞིབ་ཐོ་མ་བཏང་བས་འགན་ལེན་ཁྱབ་ཁོངས་ཀྱི་འབོར་ཚད་སྨན་ཁང་གིས་སྙན་ཞུ་བྱས་པ་ལྟར་རྩིས།",
};
