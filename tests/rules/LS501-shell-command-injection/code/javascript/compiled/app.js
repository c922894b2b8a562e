"use strict";
// LS501 fixture (JavaScript): tsc output - exports declared `void 0` first, imports called as `(0, m.f)`.
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.handler = void 0;
const child_process_1 = require("child_process");
const child_process_2 = __importDefault(require("child_process"));
const handler = async (event) => {
    // lambdasec-expect: LS501
    (0, child_process_1.execSync)(`convert ${event.file}`);
    // lambdasec-expect: LS501
    child_process_2.default.exec(event.command);
    // lambdasec-ok: LS501
    (0, child_process_1.execFileSync)("convert", [event.file]);
};
exports.handler = handler;
