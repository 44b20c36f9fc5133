/** The console's workflow pieces: case steps and determinations, monitoring lines, paging and exports. */
import type { workflowZhCN } from './workflow.zh-CN.ts';

export const workflowBo: Record<keyof typeof workflowZhCN, string> = {
  "case.reason.income_above_line": "ཁྱིམ་ཚང་གི་མི་རེའི་ཡོང་འབབ་ལྟ་ཞིབ་ཚད་གཞི་ལས་མཐོ།",
  "case.reason.other": "རྒྱུ་མཚན་གཞན། (གསལ་བཤད་ནང་འབྲི་རོགས།)",
  "case.amount": "དངུལ་འབོར། (སྒོར།)",
  "case.visitedOn": "ཐུག་འཕྲད་ཚེས་གྲངས།",
  "case.visit": "ཁྱིམ་དུ་ཞིབ་བཤེར་ཐོ་འགོད།",
  "case.application": "རམ་འདེགས་ཞུ་ཡིག",
  "case.applicationLine": "ཞུ་ཡིག་ #{id} སྤྲོད་དགོས་ {due}",
  "case.approveApplication": "ཞུ་ཡིག་ལྟར་གསོ་བཅོས་རམ་འདེགས་ཆོག་མཆན་སྤྲོད།",
  "case.noApplication": "ཆོག་མཆན་ཐོབ་པའི་རམ་འདེགས་ཞུ་ཡིག་མེད། སྔོན་ལ་ཆོག་མཆན་སྤྲོད་རོགས།",
  "case.identity": "ཚུད་པའི་ཐོབ་ཐང་རིགས།",
  "case.noLineHint": "ས་ཁུལ་འདིར་ལོ་འདིའི་ལྟ་ཞིབ་ཚད་གཞི་མེད། ཅུས་ཀྱི་དོ་དམ་པས་ལྟ་ཞིབ་ཚད་གཞིའི་ནང་གཏན་འཁེལ་བྱས་རྗེས་ལྟ་ཞིབ་མི་དགོས་ཞེས་ཐོ་འགོད་ཆོག",
  "case.noActions": "དོན་རྐྱེན་འདིར་ཁྱེད་ཀྱིས་སྒྲུབ་རྒྱུའི་གོམ་པ་མེད།",
  "lines.title": "ལྟ་ཞིབ་ཚད་གཞི།",
  "lines.region": "ས་ཁུལ་ཨང་རྟགས། (གྲངས་ 6)",
  "lines.amount": "ཚད་གཞི། (མི་རེར་ལོ་རེར་སྒོར།)",
  "lines.set": "ཚད་གཞི་གཏན་འཁེལ།",
  "lines.none": "ལྟ་ཞིབ་ཚད་གཞི་གང་ཡང་གཏན་འཁེལ་བྱས་མེད།",
  "lines.setBy": "གཏན་འཁེལ་མཁན།",
  "list.page": "{total} ནང་ནས་ {from}–{to}",
  "list.prev": "སྔོན་མ།",
  "list.next": "རྗེས་མ།",
  "list.export": "{format} ཕྱིར་འདྲེན།",
  "list.allYears": "ལོ་ཚང་མ།",
  "list.all": "ཚང་མ།",
};
